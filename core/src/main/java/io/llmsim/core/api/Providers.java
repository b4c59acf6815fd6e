package io.llmsim.core.api;

import io.llmsim.core.anthropic.AnthropicApi;
import io.llmsim.core.azure.AzureApi;
import io.llmsim.core.gemini.GeminiApi;
import io.llmsim.core.openai.OpenAiApi;
import java.util.List;

/** Every provider API llmsim fronts, in order of precedence for shared paths (OpenAI last). */
public final class Providers {
  private Providers() {}

  public static List<ProviderApi> all(ApiConfig config) {
    return List.of(
        new AnthropicApi(config),
        new GeminiApi(config),
        new AzureApi(config),
        new OpenAiApi(config));
  }
}
