package io.llmsim.core.model;

/** Whether and which tool the model must call. {@code name} is set only for {@link Kind#NAMED}. */
public record ToolChoice(Kind kind, String name) {
  public enum Kind {
    NONE,
    AUTO,
    REQUIRED,
    NAMED
  }

  public static final ToolChoice NONE = new ToolChoice(Kind.NONE, null);
  public static final ToolChoice AUTO = new ToolChoice(Kind.AUTO, null);
  public static final ToolChoice REQUIRED = new ToolChoice(Kind.REQUIRED, null);

  public static ToolChoice named(String name) {
    return new ToolChoice(Kind.NAMED, name);
  }
}
