package io.llmsim.cli;

import io.llmsim.store.profile.Grouping;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --by model|endpoint}, case-insensitive. */
final class GroupingConverter implements ITypeConverter<Grouping> {
  @Override
  public Grouping convert(String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "model" -> Grouping.MODEL;
      case "endpoint" -> Grouping.ENDPOINT;
      default -> throw new TypeConversionException(
          "expected model or endpoint, got '" + value + "'");
    };
  }
}
