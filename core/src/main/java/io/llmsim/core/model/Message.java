package io.llmsim.core.model;

/** One message of a conversation, reduced to what synthesis and token counting need. */
public record Message(String role, String text, String name) {
  public Message {
    text = text == null ? "" : text;
  }
}
