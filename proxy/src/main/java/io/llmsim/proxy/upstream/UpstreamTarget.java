package io.llmsim.proxy.upstream;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;

/**
 * One request's place on a configured upstream: the upstream's scheme, host, port and path
 * prefix, then the request's path and query. This is where a path from a client or a fixture
 * file meets an upstream URL (the forwarder of record and passthrough, and
 * {@code fixtures verify --against-upstream}, build through it), so the host and port always
 * come from the configuration.
 *
 * <p>A path is refused unless it is an absolute path made of plain segments: it starts with
 * {@code /}; it has no character outside RFC 3986's path characters (no space, CR, LF, backslash,
 * {@code #} or {@code ?}); no empty segment (so no {@code //}); no {@code .} or {@code ..}
 * segment; and none of those hidden by percent-encoding ({@code %2F}, {@code %5C}, {@code %0A},
 * {@code %2e%2e}), decoded as many times as a lenient server might. So {@code @evil/x},
 * {@code //evil/x}, {@code http://evil/x} and {@code /v1/..%2F..%2Fadmin} can neither name
 * another host nor climb out of the prefix. The query may hold only URL characters. Finally the
 * URL is parsed back and its host and port compared with the upstream's, in case a rule here
 * ever misses a trick.
 *
 * @param path the request's path, without the upstream's prefix and without the query
 * @param query the raw query without {@code ?}; empty for none
 * @throws RefusedException when the path or query would not stay on the upstream
 */
public record UpstreamTarget(Upstream upstream, String path, String query) {
  /** Enough for a server that decodes twice, and then once more. */
  private static final int MAX_DECODINGS = 3;
  private static final int MAX_SHOWN = 120;

  /** A path or query that would not stay on the upstream; the message says why. */
  public static final class RefusedException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    RefusedException(String path, String why) {
      super("the path '" + shown(path) + "' cannot be sent to an upstream: " + why);
    }
  }

  public UpstreamTarget {
    Objects.requireNonNull(upstream, "upstream");
    Objects.requireNonNull(path, "path");
    query = query == null ? "" : query;
    checkPath(path);
    checkQuery(path, query);
    checkAuthority(upstream, path, upstream.pathPrefix() + path);
  }

  /** What the request line carries on a connection to the upstream: prefix, path and query. */
  public String requestTarget() {
    return upstream.pathPrefix() + path + (query.isEmpty() ? "" : "?" + query);
  }

  /** The absolute URL, for clients that take one. */
  public URI uri() {
    return URI.create(origin(upstream) + requestTarget());
  }

  private static String origin(Upstream upstream) {
    return upstream.baseUri().getScheme() + "://" + upstream.hostHeader();
  }

  private static void checkPath(String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      throw new RefusedException(path, "it must start with '/'");
    }
    checkCharacters(path, path, false);
    String[] segments = path.substring(1).split("/", -1);
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.isEmpty() && i < segments.length - 1) {
        throw new RefusedException(path,
            "it has an empty segment ('//'), which a server may read as the start of a host");
      }
      checkSegment(path, segment);
    }
  }

  /** A segment, and each decoding of it, is a plain name: no separator, control or dot step. */
  private static void checkSegment(String path, String segment) {
    String level = segment;
    for (int decodings = 0; ; decodings++) {
      if (level.equals(".") || level.equals("..")) {
        throw new RefusedException(path, "it has a dot segment ('" + level + "'"
            + (decodings == 0 ? "" : ", encoded") + "), which climbs out of the path");
      }
      if (decodings > 0) {
        for (int i = 0; i < level.length(); i++) {
          char c = level.charAt(i);
          if (c == '/' || c == '\\' || c < 0x20 || c == 0x7f) {
            throw new RefusedException(path, "it has " + describe(c)
                + " percent-encoded, which a server may decode");
          }
        }
      }
      if (level.indexOf('%') < 0 || decodings == MAX_DECODINGS) {
        return;
      }
      level = decodeOnce(level);
    }
  }

  private static void checkQuery(String path, String query) {
    checkCharacters(path, query, true);
  }

  /** Every character is one RFC 3986 allows in a path (and {@code ?} in a query). */
  private static void checkCharacters(String path, String text, boolean query) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length() || hex(text.charAt(i + 1)) < 0 || hex(text.charAt(i + 2)) < 0) {
          throw new RefusedException(path, "it has a '%' not followed by two hex digits"
              + (query ? " in the query" : ""));
        }
      } else if (!isPathCharacter(c) && !(query && c == '?')) {
        throw new RefusedException(path, "it has " + describe(c)
            + (query ? " in the query" : "") + ", which a URL cannot carry unencoded");
      }
    }
  }

  private static void checkAuthority(Upstream upstream, String path, String fullPath) {
    URI built;
    try {
      built = new URI(origin(upstream) + fullPath);
    } catch (URISyntaxException e) {
      throw new RefusedException(path, "it does not make a URL (" + e.getReason() + ")");
    }
    int port = built.getPort() > 0 ? built.getPort() : upstream.port();
    if (built.getRawUserInfo() != null || !upstream.host().equalsIgnoreCase(built.getHost())
        || port != upstream.port() || !fullPath.equals(built.getRawPath())) {
      throw new RefusedException(path, "it would leave the upstream " + upstream.hostHeader());
    }
  }

  /** RFC 3986 {@code pchar} without {@code %} (checked apart), and {@code /}. */
  private static boolean isPathCharacter(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || "-._~!$&'()*+,;=:@/".indexOf(c) >= 0;
  }

  /** One round of percent-decoding, byte for char; a {@code %} without two hex digits stays. */
  private static String decodeOnce(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%' && i + 2 < s.length() && hex(s.charAt(i + 1)) >= 0
          && hex(s.charAt(i + 2)) >= 0) {
        out.append((char) (hex(s.charAt(i + 1)) * 16 + hex(s.charAt(i + 2))));
        i += 2;
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static int hex(char c) {
    return Character.digit(c, 16);
  }

  private static String describe(char c) {
    return switch (c) {
      case '/' -> "'/'";
      case '\\' -> "a backslash";
      case ' ' -> "a space";
      case '\r' -> "a carriage return";
      case '\n' -> "a line feed";
      default -> c < 0x20 || c >= 0x7f ? String.format("the character U+%04X", (int) c)
          : "'" + c + "'";
    };
  }

  /** The path as a message may quote it: printable ASCII, escapes for the rest, not too long. */
  private static String shown(String path) {
    StringBuilder out = new StringBuilder();
    int i = 0;
    for (; i < path.length() && out.length() < MAX_SHOWN; i++) {
      char c = path.charAt(i);
      if (c >= 0x20 && c < 0x7f && c != '\\') {
        out.append(c);
      } else {
        out.append(c == '\\' ? "\\\\" : String.format("\\u%04x", (int) c));
      }
    }
    return i < path.length() ? out + "..." : out.toString();
  }
}
