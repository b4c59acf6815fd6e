/**
 * From recorded exchanges to latency samples, and to fitted profiles: SSE parsing across network
 * chunks, per-provider recognition of the events that carry output, and grouping by model or
 * endpoint. The statistics live in core ({@code io.llmsim.core.latency.fit}).
 */
package io.llmsim.store.profile;
