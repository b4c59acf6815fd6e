package io.llmsim.store.profile;

/**
 * One server-sent event of a recorded stream.
 *
 * @param event the {@code event:} field, empty when there was none
 * @param data the {@code data:} lines joined by newlines
 * @param offsetMicros arrival offset of the network chunk in which the event was completed (its
 *     blank line arrived): the moment a client could first act on it
 */
public record SseEvent(String event, String data, long offsetMicros) {}
