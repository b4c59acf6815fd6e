package io.llmsim.core.plan;

/**
 * Bytes due at a moment: {@code offsetNanos} after the request arrived. A streaming plan writes each
 * frame as one chunk, flushed on its own.
 */
public record Frame(long offsetNanos, byte[] bytes) {}
