package io.llmsim.core.openai;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmsim.core.json.Json;
import io.llmsim.core.json.JsonBytes;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.FinishReason;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.model.Usage;
import io.llmsim.core.synth.Synthesis;
import java.io.IOException;

/**
 * Writes the Response object of the Responses API (WIRE-FORMATS §3.2) and its output items, for
 * the non-streaming body and for the events of a stream, which embed the same object in progress
 * and at the end. The object echoes the request's settings; a text answer is one {@code message}
 * item with one {@code output_text} part, a tool answer one {@code function_call} item per call.
 */
public final class OpenAiResponseRenderer {
  private OpenAiResponseRenderer() {}

  /** The non-streaming body: the finished Response. */
  public static byte[] body(ResponseEnvelope envelope, ResponsesRequest request, Synthesis s) {
    return JsonBytes.write(g -> writeResponse(g, envelope, request, s));
  }

  /** True when the answer was cut by {@code max_output_tokens}: the Response is incomplete. */
  static boolean incomplete(Synthesis synthesis) {
    return answer(synthesis).finishReason() == FinishReason.LENGTH;
  }

  /** The one answer a Response carries (the Responses API has no {@code n}). */
  static Choice answer(Synthesis synthesis) {
    return synthesis.choices().get(0);
  }

  /**
   * Writes the Response object.
   *
   * @param synthesis the finished answer, or null for the snapshot sent while in progress
   */
  static void writeResponse(
      JsonGenerator g, ResponseEnvelope envelope, ResponsesRequest request, Synthesis synthesis)
      throws IOException {
    boolean done = synthesis != null;
    boolean incomplete = done && incomplete(synthesis);
    g.writeStartObject();
    g.writeStringField("id", envelope.id());
    g.writeStringField("object", "response");
    g.writeNumberField("created_at", envelope.createdAt());
    g.writeStringField(
        "status", !done ? "in_progress" : incomplete ? "incomplete" : "completed");
    g.writeBooleanField("background", false);
    if (done) {
      g.writeNumberField("completed_at", envelope.completedAt());
    } else {
      g.writeNullField("completed_at");
    }
    g.writeNullField("error");
    if (incomplete) {
      g.writeObjectFieldStart("incomplete_details");
      g.writeStringField("reason", "max_output_tokens");
      g.writeEndObject();
    } else {
      g.writeNullField("incomplete_details");
    }
    g.writeStringField("instructions", request.instructions());
    writeNullableInt(g, "max_output_tokens", request.maxOutputTokens());
    g.writeNullField("max_tool_calls");
    g.writeStringField("model", envelope.model());
    g.writeArrayFieldStart("output");
    if (done) {
      Choice answer = answer(synthesis);
      int items = answer.isToolCall() ? answer.toolCalls().size() : 1;
      for (int i = 0; i < items; i++) {
        writeItem(g, envelope, answer, i, true);
      }
    }
    g.writeEndArray();
    g.writeBooleanField("parallel_tool_calls", request.parallelToolCalls());
    g.writeStringField("previous_response_id", request.previousResponseId());
    g.writeNullField("prompt_cache_key");
    g.writeObjectFieldStart("reasoning");
    JsonNode reasoning = request.reasoning();
    writeEcho(g, "effort", reasoning == null ? null : reasoning.get("effort"));
    writeEcho(g, "summary", reasoning == null ? null : reasoning.get("summary"));
    g.writeEndObject();
    g.writeNullField("safety_identifier");
    g.writeStringField("service_tier", "default");
    g.writeBooleanField("store", request.store());
    g.writeNumberField("temperature", request.temperature() == null ? 1.0 : request.temperature());
    g.writeObjectFieldStart("text");
    g.writeFieldName("format");
    if (request.textFormat() == null) {
      g.writeStartObject();
      g.writeStringField("type", "text");
      g.writeEndObject();
    } else {
      Json.MAPPER.writeTree(g, request.textFormat());
    }
    g.writeStringField("verbosity", request.verbosity() == null ? "medium" : request.verbosity());
    g.writeEndObject();
    g.writeFieldName("tool_choice");
    if (request.toolChoice() == null) {
      g.writeString("auto");
    } else {
      Json.MAPPER.writeTree(g, request.toolChoice());
    }
    g.writeArrayFieldStart("tools");
    if (request.tools() != null) {
      for (JsonNode tool : request.tools()) {
        writeTool(g, tool);
      }
    }
    g.writeEndArray();
    g.writeNumberField("top_logprobs", 0);
    g.writeNumberField("top_p", request.topP() == null ? 1.0 : request.topP());
    g.writeStringField(
        "truncation", request.truncation() == null ? "disabled" : request.truncation());
    if (done) {
      g.writeFieldName("usage");
      writeUsage(g, synthesis.usage());
    } else {
      g.writeNullField("usage");
    }
    g.writeStringField("user", request.user());
    g.writeFieldName("metadata");
    if (request.metadata() == null) {
      g.writeStartObject();
      g.writeEndObject();
    } else {
      Json.MAPPER.writeTree(g, request.metadata());
    }
    g.writeEndObject();
  }

  /**
   * Writes output item {@code item} of an answer: the message of a text answer, or function call
   * {@code item}. In progress, a message has no content yet and a call no arguments.
   */
  static void writeItem(
      JsonGenerator g, ResponseEnvelope envelope, Choice answer, int item, boolean done)
      throws IOException {
    String status = !done ? "in_progress"
        : answer.finishReason() == FinishReason.LENGTH ? "incomplete" : "completed";
    g.writeStartObject();
    g.writeStringField("id", envelope.itemIds().get(item));
    if (answer.isToolCall()) {
      ToolCall call = answer.toolCalls().get(item);
      g.writeStringField("type", "function_call");
      g.writeStringField("status", status);
      g.writeStringField("arguments", done ? call.arguments() : "");
      g.writeStringField("call_id", call.id());
      g.writeStringField("name", call.name());
    } else {
      g.writeStringField("type", "message");
      g.writeStringField("status", status);
      g.writeArrayFieldStart("content");
      if (done) {
        writeTextPart(g, answer.content());
      }
      g.writeEndArray();
      g.writeStringField("role", "assistant");
    }
    g.writeEndObject();
  }

  /** An {@code output_text} content part. */
  static void writeTextPart(JsonGenerator g, String text) throws IOException {
    g.writeStartObject();
    g.writeStringField("type", "output_text");
    g.writeArrayFieldStart("annotations");
    g.writeEndArray();
    g.writeArrayFieldStart("logprobs");
    g.writeEndArray();
    g.writeStringField("text", text);
    g.writeEndObject();
  }

  static void writeUsage(JsonGenerator g, Usage usage) throws IOException {
    g.writeStartObject();
    g.writeNumberField("input_tokens", usage.promptTokens());
    g.writeObjectFieldStart("input_tokens_details");
    g.writeNumberField("cached_tokens", 0);
    g.writeNumberField("cache_write_tokens", 0);
    g.writeEndObject();
    g.writeNumberField("output_tokens", usage.completionTokens());
    g.writeObjectFieldStart("output_tokens_details");
    g.writeNumberField("reasoning_tokens", 0);
    g.writeEndObject();
    g.writeNumberField("total_tokens", usage.totalTokens());
    g.writeEndObject();
  }

  /** Function tools as the API echoes them (all keys, strict by default); others as sent. */
  private static void writeTool(JsonGenerator g, JsonNode tool) throws IOException {
    if (!"function".equals(tool.path("type").asText())) {
      Json.MAPPER.writeTree(g, tool);
      return;
    }
    g.writeStartObject();
    g.writeStringField("type", "function");
    writeEcho(g, "description", tool.get("description"));
    writeEcho(g, "name", tool.get("name"));
    writeEcho(g, "parameters", tool.get("parameters"));
    JsonNode strict = tool.get("strict");
    g.writeBooleanField("strict", strict == null || strict.isNull() || strict.asBoolean());
    g.writeEndObject();
  }

  private static void writeEcho(JsonGenerator g, String field, JsonNode value) throws IOException {
    g.writeFieldName(field);
    if (value == null) {
      g.writeNull();
    } else {
      Json.MAPPER.writeTree(g, value);
    }
  }

  private static void writeNullableInt(JsonGenerator g, String field, Integer value)
      throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, value);
    }
  }
}
