package io.llmsim.core.openai;

/** The fields every chunk and body of one chat answer repeats. */
public record ChatEnvelope(String id, long created, String model, String systemFingerprint) {}
