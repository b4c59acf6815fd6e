package io.llmsim.core.openai;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.model.ChatRequest;

/**
 * A parsed {@code POST /v1/responses} body: the provider-neutral {@link ChatRequest} that synthesis
 * answers, plus the settings a Response object echoes back.
 *
 * @param chat what to synthesize ({@code instructions} become a leading developer message)
 * @param instructions the request's instructions, or null
 * @param maxOutputTokens the request's {@code max_output_tokens}, or null
 * @param textFormat the {@code text.format} object as sent, or null for the default text format
 * @param verbosity {@code text.verbosity}, or null for the default
 * @param tools the {@code tools} array as sent, or null
 * @param toolChoice the {@code tool_choice} as sent, or null for the default
 * @param reasoning the {@code reasoning} object as sent, or null
 * @param metadata the {@code metadata} object as sent, or null
 */
public record ResponsesRequest(
    ChatRequest chat,
    String instructions,
    Integer maxOutputTokens,
    JsonNode textFormat,
    String verbosity,
    JsonNode tools,
    JsonNode toolChoice,
    JsonNode reasoning,
    JsonNode metadata,
    Double temperature,
    Double topP,
    boolean parallelToolCalls,
    boolean store,
    String previousResponseId,
    String truncation,
    String user) {}
