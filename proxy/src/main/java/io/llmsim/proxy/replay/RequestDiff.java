package io.llmsim.proxy.replay;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * What differs between a request and a recorded one, as a person would say it:
 * {@code model: gpt-4o-mini ≠ gpt-4o}, {@code temperature: 0.7 ≠ 0.2},
 * {@code messages[1].content differs}, {@code messages: 3 items ≠ 2 items}. Values are shown
 * request first, recording second. Compares canonical bodies, so the fields the fingerprint
 * ignores never show up.
 *
 * @param fields top-level fields that differ (the model counts as one): the first ranking key
 * @param details every differing leaf, for ranking candidates with the same number of fields
 * @param lines the differences, in field order
 */
record RequestDiff(int fields, int details, List<String> lines) {
  /** Longer values are reported as "differs" rather than printed. */
  private static final int MAX_SHOWN_VALUE = 40;

  static RequestDiff between(String requestModel, JsonNode request, String recordedModel,
      JsonNode recorded) {
    Collector out = new Collector();
    if (!Objects.equals(requestModel, recordedModel)) {
      out.fields++;
      out.add("model: " + orAbsent(requestModel) + " ≠ " + orAbsent(recordedModel));
    }
    if (request != null && recorded != null && request.isObject() && recorded.isObject()) {
      for (String name : union(request, recorded)) {
        // The model was compared above, also for providers that carry it in the path.
        if (name.equals("model") || Objects.equals(request.get(name), recorded.get(name))) {
          continue;
        }
        out.fields++;
        diff(name, request.get(name), recorded.get(name), out);
      }
    } else if (!Objects.equals(request, recorded)) {
      out.fields++;
      out.add("body differs");
    }
    return new RequestDiff(out.fields, out.details, List.copyOf(out.lines));
  }

  private static final class Collector {
    int fields;
    int details;
    final List<String> lines = new ArrayList<>();

    void add(String line) {
      details++;
      lines.add(line);
    }
  }

  private static void diff(String path, JsonNode request, JsonNode recorded, Collector out) {
    if (request == null || recorded == null) {
      out.add(path + ": " + brief(request) + " ≠ " + brief(recorded));
    } else if (request.isObject() && recorded.isObject()) {
      for (String name : union(request, recorded)) {
        if (!Objects.equals(request.get(name), recorded.get(name))) {
          diff(path + "." + name, request.get(name), recorded.get(name), out);
        }
      }
    } else if (request.isArray() && recorded.isArray()) {
      if (request.size() != recorded.size()) {
        out.add(path + ": " + items(request.size()) + " ≠ " + items(recorded.size()));
      }
      for (int i = 0; i < Math.min(request.size(), recorded.size()); i++) {
        if (!request.get(i).equals(recorded.get(i))) {
          diff(path + "[" + i + "]", request.get(i), recorded.get(i), out);
        }
      }
    } else {
      String a = show(request);
      String b = show(recorded);
      out.add(a.length() > MAX_SHOWN_VALUE || b.length() > MAX_SHOWN_VALUE
          ? path + " differs" : path + ": " + a + " ≠ " + b);
    }
  }

  private static TreeSet<String> union(JsonNode a, JsonNode b) {
    TreeSet<String> names = new TreeSet<>();
    a.fieldNames().forEachRemaining(names::add);
    b.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String show(JsonNode node) {
    if (node == null) {
      return "absent";
    }
    return node.isTextual() ? node.asText() : node.toString();
  }

  /** A value short enough for one line: itself, or what it is. */
  private static String brief(JsonNode node) {
    String shown = show(node);
    if (shown.length() <= MAX_SHOWN_VALUE) {
      return shown;
    }
    if (node.isArray()) {
      return items(node.size());
    }
    return node.isObject() ? "an object" : "a text of " + shown.length() + " characters";
  }

  private static String orAbsent(String value) {
    return value == null ? "absent" : value;
  }

  private static String items(int n) {
    return n == 1 ? "1 item" : n + " items";
  }
}
