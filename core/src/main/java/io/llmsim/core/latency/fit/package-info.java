/**
 * Fitting latency profiles to measured samples: maximum-likelihood fits of lognormal, gamma and
 * normal distributions chosen by AIC, Kolmogorov–Smirnov goodness of fit, Theil–Sen regression for
 * the prefill slope, and the profiles-file writer. Pure statistics: the samples come from recorded
 * exchanges elsewhere ({@code io.llmsim.store.profile}).
 */
package io.llmsim.core.latency.fit;
