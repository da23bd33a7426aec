package kstack.lang;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one command produced: the lines a person reads, and the fields of its JSON object
 * ({@code command} and {@code ok} are added by the writer). Field order is insertion order, so the
 * output is the same byte for byte on every run.
 */
public record Result(String command, List<String> text, Map<String, Object> json) {

  public static Result of(String command, List<String> text) {
    return new Result(command, text, new LinkedHashMap<>());
  }

  public Result with(String key, Object value) {
    json.put(key, value);
    return this;
  }
}
