package io.llmsim.core.generate;

/**
 * A synthesized answer ran into a {@link GenerationBudget} limit. Endpoints answer it with a 400
 * naming the limit, unless {@link #retryOffLoop()}: then only the event loop's small allowance
 * ran out, and the answer is computed again off the loop.
 */
public final class BudgetExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final GenerationBudget.Limit limit;
  private final boolean retryOffLoop;

  BudgetExceededException(GenerationBudget.Limit limit, boolean retryOffLoop, String message) {
    super(message, null, false, false);
    this.limit = limit;
    this.retryOffLoop = retryOffLoop;
  }

  public GenerationBudget.Limit limit() {
    return limit;
  }

  public boolean retryOffLoop() {
    return retryOffLoop;
  }
}
