package io.llmsim.store.profile;

/**
 * An event that carried output to the client: answer text, thinking text or tool-call arguments.
 *
 * @param offsetMicros when the event was complete at the client (see {@link SseEvent})
 * @param text the output it carried
 */
public record OutputEvent(long offsetMicros, String text) {}
