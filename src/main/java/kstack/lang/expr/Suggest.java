package kstack.lang.expr;

import java.util.Collection;
import java.util.Optional;

/**
 * "Did you mean": the closest known name to a misspelt one, by edit distance (insertions,
 * deletions, substitutions and swaps of neighbours, as a typist makes them). A name further than a
 * third of its length (and at most 3 edits) away is no suggestion; ties go to the first candidate
 * in order, so the answer is deterministic.
 */
public final class Suggest {
  private Suggest() {}

  public static Optional<String> closest(String word, Collection<String> known) {
    int limit = Math.min(3, Math.max(1, word.length() / 3));
    String best = null;
    int bestD = limit + 1;
    for (String k : known) {
      if (Math.abs(k.length() - word.length()) > limit) {
        continue;
      }
      int d = distance(word, k);
      if (d < bestD && d > 0) {
        best = k;
        bestD = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Optimal string alignment distance (Damerau-Levenshtein without repeated edits of a span). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** " (did you mean 'x'?)" or "". */
  public static String hint(String word, Collection<String> known) {
    return closest(word, known).map(k -> "; did you mean '" + k + "'?").orElse("");
  }
}
