package io.llmsim.core.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Request bodies for fuzz targets, decoded exactly as an endpoint decodes them. */
public final class FuzzBodies {
  private FuzzBodies() {}

  /**
   * The body as JSON, through {@link ApiRequest#json()}.
   *
   * @throws InvalidJsonException as the router would, when the bytes are not JSON
   */
  public static JsonNode json(byte[] body) {
    return new ApiRequest("POST", "/", Map.of(), body, 0).json();
  }
}
