package io.llmsim.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The shared Jackson objects: thread-safe, configured once. */
public final class Json {
  /** Nesting deeper than this is refused, so a hostile body cannot exhaust the stack. */
  public static final int MAX_NESTING = 200;

  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
          .build();

  public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Json() {}
}
