package io.llmsim.core.model;

/** Why a choice ended, in provider-neutral terms; each dialect maps it to its own word. */
public enum FinishReason {
  STOP,
  LENGTH,
  TOOL_CALLS
}
