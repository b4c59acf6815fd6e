package io.llmsim.core.model;

import com.fasterxml.jackson.databind.JsonNode;

/** A function the model may call; {@code parameters} is its JSON Schema (may be null). */
public record Tool(String name, String description, JsonNode parameters) {}
