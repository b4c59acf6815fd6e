package io.llmsim.core.synth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmsim.core.generate.GenerationBudget;
import io.llmsim.core.generate.Generators;
import io.llmsim.core.generate.SchemaValueGenerator;
import io.llmsim.core.generate.TextGenerator;
import io.llmsim.core.latency.Distribution;
import io.llmsim.core.latency.LatencyProfile;
import io.llmsim.core.model.ChatRequest;
import io.llmsim.core.model.Choice;
import io.llmsim.core.model.FinishReason;
import io.llmsim.core.model.Tool;
import io.llmsim.core.model.ToolCall;
import io.llmsim.core.model.ToolChoice;
import io.llmsim.core.model.Usage;
import io.llmsim.core.tokens.Pieces;
import io.llmsim.core.tokens.Tokenizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Answers a {@link ChatRequest} without a model: text from a {@link TextGenerator}, tool calls and
 * structured output from the JSON Schemas in the request, and a timeline drawn from a
 * {@link LatencyProfile}. Text and timing draw from separate streams split off one seed, so a seed
 * fixes both, and changing the profile leaves the text as it was. A request may also ask for a
 * thinking text before the answer, and name stop sequences that end the answer early.
 */
public final class Synthesizer {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final char[] ALPHANUMERIC =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();
  /** What a choice adds to the rendered answer besides its text (index, role, finish reason). */
  static final int CHOICE_OVERHEAD_BYTES = 64;

  private final SchemaValueGenerator schemas = SchemaValueGenerator.of();

  /**
   * @param promptTokens the prompt size as the dialect counts it (drives the prefill term)
   * @param seed fixes the text and the timing
   * @throws io.llmsim.core.generate.BudgetExceededException when the answer is too big
   */
  public Synthesis synthesize(
      ChatRequest request,
      int promptTokens,
      LatencyProfile profile,
      TextGenerator generator,
      Tokenizer tokenizer,
      long seed) {
    return synthesize(request, promptTokens, profile, generator, tokenizer, seed,
        GenerationBudget.forRequest());
  }

  /**
   * Like the other {@code synthesize}, charging {@code budget}: one request's budget, shared by
   * every part of its answer (the prompts of a completions batch, say).
   */
  public Synthesis synthesize(
      ChatRequest request,
      int promptTokens,
      LatencyProfile profile,
      TextGenerator generator,
      Tokenizer tokenizer,
      long seed,
      GenerationBudget budget) {
    SplittableRandom root = new SplittableRandom(seed);
    SplittableRandom text = root.split();
    SplittableRandom timing = root.split();

    List<Choice> choices = new ArrayList<>(request.n());
    int completionTokens = 0;
    int steps = 1;
    for (int i = 0; i < request.n(); i++) {
      Choice choice = choice(i, request, profile, generator, tokenizer, text, budget);
      choices.add(choice);
      completionTokens += choice.completionTokens();
      steps = Math.max(steps, 1 + choice.steps());
    }

    long[] offsets = new long[steps];
    offsets[0] = profile.drawTtftNanos(promptTokens, timing);
    for (int k = 1; k < steps; k++) {
      // The first chunk rides with the opening step; every later chunk waits one gap.
      offsets[k] = k == 1 ? offsets[0] : offsets[k - 1] + profile.drawGapNanos(timing);
    }
    return new Synthesis(choices, new Usage(promptTokens, completionTokens), offsets);
  }

  private Choice choice(
      int index,
      ChatRequest request,
      LatencyProfile profile,
      TextGenerator generator,
      Tokenizer tokenizer,
      SplittableRandom random,
      GenerationBudget budget) {
    budget.node();
    budget.bytes(CHOICE_OVERHEAD_BYTES);
    int limit = request.maxTokens() == null ? Integer.MAX_VALUE : request.maxTokens();
    // Thinking comes first and counts towards the token limit, as in Anthropic's extended thinking.
    // Requests without thinking draw nothing here, so their answers stay as they were.
    Pieces thinking = Pieces.ofSingleTokens(List.of());
    List<String> thinkingChunks = List.of();
    if (request.thinkingBudget() != null) {
      int thinkingTokens = Math.min(request.thinkingBudget(), limit);
      // Always lorem: a fixed or sequence generator is meant for the answer, not the thoughts.
      thinking = Generators.lorem().generate(
          request, Math.min(profile.drawOutputTokens(random), thinkingTokens), tokenizer, random);
      budget.bytes(thinking.textLength());
      thinkingChunks = chunks(thinking, profile, random);
      limit -= thinking.tokens();
    }
    Tool tool = toolToCall(request, random);
    if (tool != null) {
      JsonNode arguments = schemas.generate(schemaOf(tool), random, budget);
      Pieces all = tokenizer.pieces(arguments.toString());
      Pieces kept = all.limit(limit);
      ToolCall call =
          new ToolCall(
              "call_" + randomId(24, random), tool.name(), kept.text(),
              chunks(kept, profile, random), kept.tokens());
      FinishReason finish = kept == all ? FinishReason.TOOL_CALLS : FinishReason.LENGTH;
      return new Choice(index, List.of(), List.of(call), finish,
          thinking.tokens() + kept.tokens(), thinkingChunks, thinking.tokens(), null);
    }
    Pieces all;
    if (request.responseSchema() != null) {
      all = tokenizer.pieces(
          schemas.generate(request.responseSchema(), random, budget).toString());
    } else if (request.jsonObject()) {
      int target = profile.drawOutputTokens(random);
      ObjectNode answer = JSON.createObjectNode();
      answer.put("answer", generator.generate(request, target, tokenizer, random).text().trim());
      all = tokenizer.pieces(answer.toString());
    } else {
      // One token past the limit is enough to know the answer was cut; generating the whole
      // drawn length only to throw most of it away was the costliest part of a short answer.
      int target = profile.drawOutputTokens(random);
      all = generator.generate(request, limit == Integer.MAX_VALUE ? target
          : Math.min(target, limit + 1), tokenizer, random);
    }
    StopCut cut = cutAtStopSequence(all, request.stopSequences());
    Pieces kept = cut.pieces().limit(limit);
    if (request.responseSchema() == null) {
      // What the answer holds: an echo cut at max_tokens costs only what is sent. A schema's
      // value was counted as it grew.
      budget.bytes(kept.textLength());
    }
    boolean cutShort = kept != cut.pieces();
    FinishReason finish = cutShort ? FinishReason.LENGTH : FinishReason.STOP;
    return new Choice(index, chunks(kept, profile, random), List.of(), finish,
        thinking.tokens() + kept.tokens(), thinkingChunks, thinking.tokens(),
        cutShort ? null : cut.stopSequence());
  }

  /** The text before the first stop sequence, and that sequence (null when none appears). */
  private record StopCut(Pieces pieces, String stopSequence) {}

  private static StopCut cutAtStopSequence(Pieces all, List<String> stopSequences) {
    if (stopSequences.isEmpty()) {
      return new StopCut(all, null);
    }
    String text = all.text();
    int at = -1;
    String found = null;
    for (String stop : stopSequences) {
      int i = stop.isEmpty() ? -1 : text.indexOf(stop);
      if (i >= 0 && (at < 0 || i < at)) {
        at = i;
        found = stop;
      }
    }
    if (found == null) {
      return new StopCut(all, null);
    }
    Pieces.Builder kept = new Pieces.Builder();
    int start = 0;
    for (int i = 0; i < all.size() && start < at; i++) {
      String piece = all.strings().get(i);
      // A piece the stop sequence begins inside keeps only its part before the sequence.
      kept.add(start + piece.length() <= at ? piece : piece.substring(0, at - start),
          all.tokensOf(i));
      start += piece.length();
    }
    return new StopCut(kept.build(), found);
  }

  private static Tool toolToCall(ChatRequest request, SplittableRandom random) {
    if (request.tools().isEmpty()) {
      return null;
    }
    ToolChoice choice = request.toolChoice();
    switch (choice.kind()) {
      case NONE:
        return null;
      case NAMED:
        return request.tool(choice.name());
      case AUTO:
        // After a tool result the model answers in text, so agent loops terminate.
        if (request.endsWithToolResult()) {
          return null;
        }
        return request.tools().get(random.nextInt(request.tools().size()));
      case REQUIRED:
      default:
        return request.tools().get(random.nextInt(request.tools().size()));
    }
  }

  private static JsonNode schemaOf(Tool tool) {
    return tool.parameters() != null
        ? tool.parameters()
        : JSON.createObjectNode().put("type", "object");
  }

  /** Groups token pieces into stream chunks of as many tokens as the profile draws. */
  private static List<String> chunks(Pieces pieces, LatencyProfile profile, SplittableRandom r) {
    if (profile.tokensPerChunk() instanceof Distribution.Constant c && c.value() == 1
        && pieces.size() == pieces.tokens()) {
      return pieces.strings(); // one token per chunk: the pieces are the chunks (and draw nothing)
    }
    List<String> chunks = new ArrayList<>();
    StringBuilder chunk = new StringBuilder();
    int want = profile.drawTokensPerChunk(r);
    int have = 0;
    for (int i = 0; i < pieces.size(); i++) {
      chunk.append(pieces.strings().get(i));
      have += pieces.tokensOf(i);
      if (have >= want) {
        chunks.add(chunk.toString());
        chunk.setLength(0);
        have = 0;
        want = profile.drawTokensPerChunk(r);
      }
    }
    if (chunk.length() > 0) {
      chunks.add(chunk.toString());
    }
    return chunks;
  }

  /** A random alphanumeric id body, as OpenAI's ids look. */
  public static String randomId(int length, java.util.random.RandomGenerator random) {
    char[] id = new char[length];
    long bits = 0;
    int left = 0;
    for (int i = 0; i < length; ) {
      if (left == 0) {
        bits = random.nextLong();
        left = 10; // ten 6-bit draws per long
      }
      int draw = (int) (bits & 63);
      bits >>>= 6;
      left--;
      if (draw < ALPHANUMERIC.length) { // rejection keeps the 62 characters equally likely
        id[i++] = ALPHANUMERIC[draw];
      }
    }
    return new String(id);
  }
}
