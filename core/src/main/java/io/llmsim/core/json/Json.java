package io.llmsim.core.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;

/** The shared Jackson objects: thread-safe, configured once. */
public final class Json {
  /** Nesting deeper than this is refused, so a hostile body cannot exhaust the stack. */
  public static final int MAX_NESTING = 200;

  public static final JsonFactory FACTORY =
      JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build())
          .build();

  public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  /** Reads JSON trees without resolving the target type on every call, as the mapper does. */
  public static final ObjectReader TREE_READER = MAPPER.readerFor(JsonNode.class);

  private Json() {}
}
