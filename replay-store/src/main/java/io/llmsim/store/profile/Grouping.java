package io.llmsim.store.profile;

import io.llmsim.store.RecordedExchange;
import java.util.Locale;

/** How exchanges are grouped into profiles: one per model, or one per provider/endpoint/model. */
public enum Grouping {
  MODEL,
  ENDPOINT;

  /** Profile name for exchanges that named no model. */
  public static final String UNKNOWN_MODEL = "unknown-model";

  /** The profile name an exchange belongs to. */
  public String key(RecordedExchange exchange) {
    String model = exchange.model() == null || exchange.model().isBlank()
        ? UNKNOWN_MODEL : exchange.model();
    return this == MODEL ? model
        : exchange.provider() + "/" + exchange.endpoint() + "/" + model;
  }

  /** The name used on the command line. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
