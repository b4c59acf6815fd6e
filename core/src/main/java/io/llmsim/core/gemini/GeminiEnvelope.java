package io.llmsim.core.gemini;

/**
 * What every response of one answer repeats: the model version, the response id, and the prompt
 * usage ({@code mediaTokens} of {@code promptTokens} came from media parts).
 */
record GeminiEnvelope(String modelVersion, String responseId, int promptTokens, int mediaTokens) {}
