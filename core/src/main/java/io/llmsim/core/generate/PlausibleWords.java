package io.llmsim.core.generate;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BigIntegerNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static io.llmsim.core.generate.SchemaValueGenerator.*;

/** Word lists and formatted values that make synthesized strings look real. */
final class PlausibleWords {
  static final String[] LOREM = ("lorem ipsum dolor sit amet consectetur adipiscing "
      + "elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua enim ad minim "
      + "veniam quis nostrud exercitation ullamco laboris nisi aliquip ex ea commodo").split(" ");
  static final String[] FIRST = {"Alice", "Bruno", "Carla", "David", "Elena", "Farid",
      "Grace", "Hiro", "Ines", "Jonas", "Keiko", "Liam", "Maya", "Noah", "Olivia", "Priya"};
  static final String[] LAST = {"Smith", "Garcia", "Johnson", "Chen", "Okafor", "Rossi",
      "Novak", "Tanaka", "Silva", "Kowalski", "Dubois", "Haddad", "Larsen", "Patel"};
  static final String[][] PLACES = {{"Paris", "France"}, {"London", "United Kingdom"},
      {"Tokyo", "Japan"}, {"New York", "United States"}, {"San Francisco", "United States"},
      {"Berlin", "Germany"}, {"Madrid", "Spain"}, {"Toronto", "Canada"},
      {"Sydney", "Australia"}, {"Singapore", "Singapore"}, {"Nairobi", "Kenya"},
      {"Lisbon", "Portugal"}, {"Seoul", "South Korea"}, {"Mexico City", "Mexico"},
      {"Cape Town", "South Africa"}, {"Mumbai", "India"}};
  static final String[] STREETS = {"Baker Street", "Main Street", "Elm Avenue",
      "Market Street", "Oak Lane", "Harbour Road", "Maple Drive"};
  static final String[] COMPANIES = {"Acme Corp", "Globex", "Initech", "Umbrella Labs",
      "Stark Industries", "Hooli", "Vandelay Industries", "Wayne Enterprises"};
  static final String[] PRODUCTS = {"Wireless Mouse", "Standing Desk", "Espresso Maker",
      "Noise-Cancelling Headphones", "Trail Running Shoes", "Mechanical Keyboard"};
  static final String[] COLORS = {"red", "blue", "green", "orange", "purple", "teal",
      "black", "white"};
  static final String[] CURRENCIES = {"USD", "EUR", "GBP", "JPY", "CAD", "CHF"};
  static final String[] LANGUAGES = {"English", "French", "Spanish", "German",
      "Japanese", "Portuguese"};
  static final String[] LOCALES = {"en-US", "fr-FR", "es-ES", "de-DE", "ja-JP",
      "pt-BR"};
  static final String[] TIMEZONES = {"UTC", "Europe/Paris", "Europe/London",
      "America/New_York", "America/Los_Angeles", "Asia/Tokyo"};
  static final String[] EXTENSIONS = {"pdf", "txt", "csv", "json", "md"};

  static final DateTimeFormatter DATE_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss'Z'", Locale.ROOT);
  static final DateTimeFormatter DATE =
      DateTimeFormatter.ofPattern("uuuu-MM-dd", Locale.ROOT);
  static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("HH:mm:ss'Z'", Locale.ROOT);
  /** 2020-01-01T00:00:00Z to 2027-01-01T00:00:00Z: recent enough to look real. */
  static final long EPOCH_FROM = 1_577_836_800L;
  static final long EPOCH_TO = 1_798_761_600L;

  private PlausibleWords() {
  }

  static String lorem(RandomGenerator r, int words) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < words; i++) {
      if (i > 0) {
        sb.append(' ');
      }
      sb.append(pick(LOREM, r));
    }
    return sb.toString();
  }

  static boolean fits(String s, int min, int max) {
    int length = s.codePointCount(0, s.length());
    return length >= min && length <= max;
  }

  /** Pads with words or truncates so the code point length lies in [min, max]. */
  static String fitLength(String value, int min, int max, RandomGenerator r) {
    StringBuilder sb = new StringBuilder(value);
    int length = value.codePointCount(0, value.length());
    while (length < min) {
      String word = (sb.length() == 0 ? "" : " ") + pick(LOREM, r);
      sb.append(word);
      length += word.length();
    }
    String out = sb.toString();
    if (length > max) {
      out = out.substring(0, out.offsetByCodePoints(0, max));
      String trimmed = out.strip();
      if (trimmed.codePointCount(0, trimmed.length()) >= min) {
        out = trimmed;
      }
    }
    return out;
  }

  static String format(String format, RandomGenerator r) {
    switch (format) {
      case "date-time":
        return dateTime(r).format(DATE_TIME);
      case "date":
        return dateTime(r).format(DATE);
      case "time":
        return dateTime(r).format(TIME);
      case "duration":
        return r.nextBoolean() ? "P" + (1 + r.nextInt(30)) + "D" : "PT" + (5 + r.nextInt(115))
            + "M";
      case "email":
      case "idn-email":
        return email(r);
      case "uri":
      case "url":
      case "iri":
        return url(r);
      case "uri-reference":
      case "iri-reference":
        return "/" + pick(LOREM, r) + "/" + pick(LOREM, r);
      case "uuid":
        return uuid(r);
      case "ipv4":
        return r.nextBoolean()
            ? "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254))
            : "192.168." + r.nextInt(256) + "." + (1 + r.nextInt(254));
      case "ipv6": {
        StringBuilder sb = new StringBuilder("2001:db8");
        for (int i = 0; i < 6; i++) {
          sb.append(':').append(Integer.toHexString(r.nextInt(0x10000)));
        }
        return sb.toString();
      }
      case "hostname":
      case "idn-hostname":
        return pick(LOREM, r) + ".example.com";
      default:
        return null;
    }
  }

  /** A value that suits a property name ({@code city}, {@code email}, ...) or lorem words. */
  static String forName(String name, RandomGenerator r) {
    List<String> t = tokens(name);
    String joined = String.join("", t);
    if (t.isEmpty()) {
      return lorem(r, 1 + r.nextInt(3));
    }
    if (has(t, "email", "mail") || joined.contains("email")) {
      return email(r);
    }
    if (has(t, "url", "uri", "website", "link", "homepage", "href")) {
      return url(r);
    }
    if (has(t, "uuid", "guid")) {
      return uuid(r);
    }
    if (has(t, "username", "login", "handle", "nickname") || (has(t, "user") && has(t, "name"))) {
      return pick(FIRST, r).toLowerCase(Locale.ROOT) + (10 + r.nextInt(90));
    }
    if (joined.contains("firstname") || joined.contains("givenname")) {
      return pick(FIRST, r);
    }
    if (joined.contains("lastname") || joined.contains("surname")
        || joined.contains("familyname")) {
      return pick(LAST, r);
    }
    if (has(t, "city", "town")) {
      return pick(PLACES, r)[0];
    }
    if (has(t, "country")) {
      return pick(PLACES, r)[1];
    }
    if (has(t, "location", "place", "destination", "origin", "venue")) {
      String[] place = pick(PLACES, r);
      return place[0] + ", " + place[1];
    }
    if (has(t, "address", "street")) {
      return (1 + r.nextInt(250)) + " " + pick(STREETS, r);
    }
    if (has(t, "zip", "zipcode", "postal", "postcode")) {
      return String.format(Locale.ROOT, "%05d", r.nextInt(100_000));
    }
    if (has(t, "phone", "mobile", "telephone", "tel")) {
      return String.format(Locale.ROOT, "+1-555-01%02d", r.nextInt(100));
    }
    if (has(t, "company", "organization", "organisation", "employer", "org")) {
      return pick(COMPANIES, r);
    }
    if (has(t, "product", "item")) {
      return pick(PRODUCTS, r);
    }
    if (has(t, "currency")) {
      return pick(CURRENCIES, r);
    }
    if (has(t, "language")) {
      return pick(LANGUAGES, r);
    }
    if (has(t, "lang", "locale")) {
      return pick(LOCALES, r);
    }
    if (has(t, "color", "colour")) {
      return pick(COLORS, r);
    }
    if (has(t, "timezone", "tz")) {
      return pick(TIMEZONES, r);
    }
    if (has(t, "file", "filename", "path", "filepath")) {
      return pick(LOREM, r) + "/" + pick(LOREM, r) + "." + pick(EXTENSIONS, r);
    }
    if (has(t, "date", "birthday", "dob")) {
      return dateTime(r).format(DATE);
    }
    if (has(t, "timestamp", "datetime") || (t.size() > 1 && t.get(t.size() - 1).equals("at"))) {
      return dateTime(r).format(DATE_TIME);
    }
    if (has(t, "name", "author", "owner", "customer", "person", "contact", "assignee",
        "recipient", "sender")) {
      return pick(FIRST, r) + " " + pick(LAST, r);
    }
    if (has(t, "title", "subject", "headline", "topic")) {
      return capitalize(lorem(r, 2 + r.nextInt(3)));
    }
    if (has(t, "description", "summary", "text", "content", "message", "body", "comment",
        "note", "notes", "query", "prompt", "question", "reason", "explanation", "details",
        "instructions", "answer")) {
      return capitalize(lorem(r, 6 + r.nextInt(7))) + ".";
    }
    if (has(t, "id")) {
      String prefix = t.size() > 1 ? t.get(0) : "id";
      return prefix + "_" + Long.toHexString(r.nextLong() >>> 32);
    }
    return lorem(r, 1 + r.nextInt(3));
  }

  /** A plausible numeric range for a property name; 0..100 when the name says nothing. */
  static BigDecimal[] numberHint(String name) {
    List<String> t = tokens(name);
    int lo = 0;
    int hi = 100;
    if (has(t, "latitude", "lat")) {
      lo = -90;
      hi = 90;
    } else if (has(t, "longitude", "lon", "lng")) {
      lo = -180;
      hi = 180;
    } else if (has(t, "age")) {
      lo = 18;
      hi = 80;
    } else if (has(t, "year")) {
      lo = 1990;
      hi = 2026;
    } else if (has(t, "count", "quantity", "qty", "limit", "page", "size", "num", "n", "k",
        "top")) {
      lo = 1;
      hi = 10;
    } else if (has(t, "price", "amount", "cost", "total")) {
      lo = 1;
      hi = 500;
    } else if (has(t, "rating", "stars")) {
      lo = 1;
      hi = 5;
    }
    return new BigDecimal[] {BigDecimal.valueOf(lo), BigDecimal.valueOf(hi)};
  }

  static LocalDateTime dateTime(RandomGenerator r) {
    return LocalDateTime.ofEpochSecond(r.nextLong(EPOCH_FROM, EPOCH_TO), 0, ZoneOffset.UTC);
  }

  static String email(RandomGenerator r) {
    return pick(FIRST, r).toLowerCase(Locale.ROOT) + "." + pick(LAST, r).toLowerCase(Locale.ROOT)
        + "@example.com";
  }

  static String url(RandomGenerator r) {
    return "https://example.com/" + pick(LOREM, r) + "/" + pick(LOREM, r);
  }

  static String uuid(RandomGenerator r) {
    long msb = (r.nextLong() & ~0xF000L) | 0x4000L;
    long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }

  static String capitalize(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  // Compiled once: tokens() runs for every generated value, and compiling was most of its cost.
  private static final Pattern LOWER_UPPER = Pattern.compile("([a-z0-9])([A-Z])");
  private static final Pattern ACRONYM_WORD = Pattern.compile("([A-Z]+)([A-Z][a-z])");
  private static final Pattern NON_WORD = Pattern.compile("[^a-z0-9]+");

  static List<String> tokens(String name) {
    List<String> out = new ArrayList<>();
    if (name == null) {
      return out;
    }
    String spaced = ACRONYM_WORD.matcher(LOWER_UPPER.matcher(name).replaceAll("$1 $2"))
        .replaceAll("$1 $2")
        .toLowerCase(Locale.ROOT);
    for (String token : NON_WORD.split(spaced)) {
      if (!token.isEmpty()) {
        out.add(token);
      }
    }
    return out;
  }

  static boolean has(List<String> tokens, String... words) {
    for (String w : words) {
      if (tokens.contains(w)) {
        return true;
      }
    }
    return false;
  }

  static <T> T pick(T[] values, RandomGenerator r) {
    return values[r.nextInt(values.length)];
  }
}
