package io.llmsim.core.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A method and a path template ({@code /v1/models/{id}},
 * {@code /v1beta/models/{model}:generateContent}) answered by an endpoint in a dialect. A guard lets
 * two providers share a path ({@code GET /v1/models} is OpenAI's and Anthropic's): the route applies
 * only to requests the guard accepts.
 */
public final class Route {
  private static final Pattern VARIABLE = Pattern.compile("\\{([a-zA-Z][a-zA-Z0-9_]*)}");

  private final String method;
  private final String template;
  private final Pattern pattern;
  /** The template's text before its first variable: a cheap test before the regex. */
  private final String literalPrefix;
  private final java.util.List<String> variables = new java.util.ArrayList<>();
  private final Dialect dialect;
  private final Endpoint endpoint;
  private final Predicate<ApiRequest> guard;

  private Route(String method, String template, Dialect dialect, Endpoint endpoint,
      Predicate<ApiRequest> guard) {
    this.method = Objects.requireNonNull(method, "method");
    this.template = Objects.requireNonNull(template, "template");
    this.dialect = Objects.requireNonNull(dialect, "dialect");
    this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
    this.guard = Objects.requireNonNull(guard, "guard");
    StringBuilder regex = new StringBuilder();
    Matcher m = VARIABLE.matcher(template);
    int last = 0;
    while (m.find()) {
      regex.append(Pattern.quote(template.substring(last, m.start()))).append("([^/]+?)");
      variables.add(m.group(1));
      last = m.end();
    }
    regex.append(Pattern.quote(template.substring(last)));
    this.pattern = Pattern.compile(regex.toString());
    int brace = template.indexOf('{');
    this.literalPrefix = brace < 0 ? template : template.substring(0, brace);
  }

  public static Route get(String template, Dialect dialect, Endpoint endpoint) {
    return new Route("GET", template, dialect, endpoint, r -> true);
  }

  public static Route post(String template, Dialect dialect, Endpoint endpoint) {
    return new Route("POST", template, dialect, endpoint, r -> true);
  }

  /** The same route, applying only to requests {@code guard} accepts. */
  public Route when(Predicate<ApiRequest> newGuard) {
    return new Route(method, template, dialect, endpoint, newGuard);
  }

  /** The captured variables when the path matches (method not checked), else null. */
  Map<String, String> match(ApiRequest request) {
    if (variables.isEmpty()) {
      return template.equals(request.path()) && guard.test(request) ? Map.of() : null;
    }
    if (!request.path().startsWith(literalPrefix)) {
      return null;
    }
    Matcher m = pattern.matcher(request.path());
    if (!m.matches() || !guard.test(request)) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < variables.size(); i++) {
      params.put(variables.get(i), m.group(i + 1));
    }
    return params;
  }

  public String method() {
    return method;
  }

  public String template() {
    return template;
  }

  public Dialect dialect() {
    return dialect;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  @Override
  public String toString() {
    return method + " " + template + " (" + dialect.name() + ")";
  }
}
