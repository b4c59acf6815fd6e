package io.llmsim.core.api;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.json.Json;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP request as endpoints see it, free of Netty: method, path (without the query, and without a
 * provider prefix such as {@code /anthropic}), query parameters, headers (looked up
 * case-insensitively), body bytes, the variables the route's path template captured, and the
 * arrival time. Immutable except for the lazily parsed JSON body.
 */
public final class ApiRequest {
  private static final List<String> MODEL_PARAMS = List.of("model", "deployment");

  private final String method;
  private final String path;
  private final Map<String, List<String>> query;
  private final String rawQuery;
  private final Map<String, String> headers;
  private final byte[] body;
  private final long epochSeconds;
  private Map<String, String> pathParams = Map.of();
  private JsonNode json;

  /**
   * @param headers header names in any case; values of repeated headers are joined with ", "
   */
  public ApiRequest(String method, String uri, Map<String, String> headers, byte[] body,
      long epochSeconds) {
    this.method = method;
    int q = uri.indexOf('?');
    String p = q < 0 ? uri : uri.substring(0, q);
    if (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    this.path = p;
    this.rawQuery = q < 0 ? "" : uri.substring(q + 1);
    this.query = rawQuery.isEmpty() ? Map.of() : parseQuery(rawQuery);
    this.headers = headers instanceof LowercaseHeaders ready ? ready.map : lowercase(headers);
    this.body = body;
    this.epochSeconds = epochSeconds;
  }

  private ApiRequest(ApiRequest other, String path) {
    this.method = other.method;
    this.path = path;
    this.query = other.query;
    this.rawQuery = other.rawQuery;
    this.headers = other.headers;
    this.body = other.body;
    this.epochSeconds = other.epochSeconds;
  }

  private static Map<String, String> lowercase(Map<String, String> headers) {
    Map<String, String> lower = new LinkedHashMap<>();
    headers.forEach((k, v) -> lower.merge(k.toLowerCase(Locale.ROOT), v, (a, b) -> a + ", " + b));
    return Collections.unmodifiableMap(lower);
  }

  /**
   * Headers already in the form requests keep them (lower-case names, repeats joined with ", "),
   * which the constructor then takes as they are instead of copying: the server builds them so
   * from the wire in one pass.
   */
  public static final class LowercaseHeaders extends java.util.AbstractMap<String, String> {
    private final Map<String, String> map;

    private LowercaseHeaders(Map<String, String> map) {
      this.map = Collections.unmodifiableMap(map);
    }

    /** Collects {@code name, value} pairs in wire order; names in any case. */
    public static LowercaseHeaders of(Iterable<Map.Entry<String, String>> wire, int sizeHint) {
      Map<String, String> map = new LinkedHashMap<>(Math.max(16, sizeHint * 2));
      for (Map.Entry<String, String> header : wire) {
        map.merge(header.getKey().toLowerCase(Locale.ROOT), header.getValue(),
            (a, b) -> a + ", " + b);
      }
      return new LowercaseHeaders(map);
    }

    @Override
    public java.util.Set<Map.Entry<String, String>> entrySet() {
      return map.entrySet();
    }
  }

  /** The same request seen under another path (a provider prefix stripped). */
  public ApiRequest withPath(String newPath) {
    return new ApiRequest(this, newPath);
  }

  ApiRequest withPathParams(Map<String, String> params) {
    ApiRequest copy = new ApiRequest(this, path);
    copy.pathParams = Map.copyOf(params);
    return copy;
  }

  public String method() {
    return method;
  }

  public String path() {
    return path;
  }

  /** A header's value, or null; {@code name} in any case. */
  public String header(String name) {
    return headers.get(name.toLowerCase(Locale.ROOT));
  }

  public Map<String, String> headers() {
    return headers;
  }

  /** The first value of a query parameter, or null. */
  public String query(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** The query string as it arrived, without {@code ?}; empty when there is none. */
  public String rawQuery() {
    return rawQuery;
  }

  public Map<String, List<String>> queryParams() {
    return query;
  }

  /** A variable captured by the route's path template, e.g. {@code id} of {@code /v1/models/{id}}. */
  public String pathParam(String name) {
    return pathParams.get(name);
  }

  /**
   * The model the request names: a path variable ({@code model}, Azure's {@code deployment}), else
   * the body's top-level {@code "model"}; null when there is none or the body is not JSON. Reads
   * only as far as the field, without building a tree.
   */
  public String model() {
    for (String name : MODEL_PARAMS) {
      String value = pathParams.get(name);
      if (value != null) {
        return value;
      }
    }
    if (body.length == 0) {
      return null;
    }
    try (JsonParser p = Json.FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if (field.equals("model") && value == JsonToken.VALUE_STRING) {
          return p.getText();
        }
        p.skipChildren();
      }
    } catch (IOException e) {
      return null; // not JSON: the endpoint says so in its own words
    }
    return null;
  }

  public byte[] body() {
    return body;
  }

  public long epochSeconds() {
    return epochSeconds;
  }

  /**
   * The body parsed as JSON.
   *
   * @throws InvalidJsonException when the body is empty or not JSON
   */
  public JsonNode json() {
    if (json == null) {
      if (body.length == 0) {
        throw new InvalidJsonException("the body is empty");
      }
      try (JsonParser parser = Json.FACTORY.createParser(body)) {
        json = Json.TREE_READER.readTree(parser);
        // Jackson stops after the first value; the providers refuse anything after it.
        if (json != null && parser.nextToken() != null) {
          throw new InvalidJsonException("unexpected data after the JSON value, at byte "
              + parser.currentTokenLocation().getByteOffset());
        }
      } catch (JacksonException e) {
        throw new InvalidJsonException(e.getOriginalMessage());
      } catch (IOException e) {
        // Reading an array does no I/O: this is a body in no encoding JSON allows, such as one
        // that starts like UTF-32 and is not (CharConversionException).
        throw new InvalidJsonException(e.getMessage());
      }
      if (json == null || json.isMissingNode()) {
        throw new InvalidJsonException("the body is empty");
      }
    }
    return json;
  }

  private static Map<String, List<String>> parseQuery(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
    }
    return Collections.unmodifiableMap(out);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }
}
