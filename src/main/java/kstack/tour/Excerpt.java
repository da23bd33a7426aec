package kstack.tour;

import java.util.ArrayList;
import java.util.List;
import kstack.view.TextPicture;

/**
 * The part of {@code stack --draw}'s diagram a stop points at: the title line of the stack that
 * holds the sight, then the lines covering the sight marked {@code =>} (with the line above and
 * below for context; long runs cut in the middle), so the picture can be followed as it changes
 * without printing every stack at every stop.
 */
public final class Excerpt {
  /** At most this many lines of a long region are shown (half from each end). */
  static final int MAX = 12;

  private Excerpt() {}

  /** The excerpt of the visit's picture around its sight. */
  public static List<String> of(Guide.Visit v) {
    List<String> all = TextPicture.render(v.picture());
    int head = -1;
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).startsWith(v.sight().stack() + ": 0x")) {
        head = i;
        break;
      }
    }
    List<String> out = new ArrayList<>();
    if (head < 0) {
      return out;
    }
    out.add(all.get(head));
    int end = head + 2;
    while (end < all.size() && !all.get(end).strip().startsWith("+")) {
      end++;
    }
    List<Integer> hit = new ArrayList<>();
    for (int i = head + 2; i < end; i++) {
      if (covers(all.get(i), all.get(head), v.sight())) {
        hit.add(i);
      }
    }
    if (hit.isEmpty()) {
      return out;
    }
    int from = Math.max(head + 2, hit.get(0) - 1);
    int to = Math.min(end - 1, hit.get(hit.size() - 1) + 1);
    for (int i = from; i <= to; i++) {
      int n = hit.indexOf(i);
      if (n >= MAX / 2 && n < hit.size() - MAX / 2) {
        if (n == MAX / 2) {
          out.add("   ... " + (hit.size() - MAX) + " more lines ...");
        }
        continue;
      }
      out.add((n >= 0 ? "=> " : "   ") + all.get(i));
    }
    return out;
  }

  /** Whether the line [a, a + bytes) overlaps the sight (a point: holds it). */
  private static boolean covers(String line, String header, Sights.Sight s) {
    int sp = line.indexOf(' ');
    if (!line.startsWith("0x") || sp < 0) {
      return false;
    }
    long a = Long.parseUnsignedLong(line.substring(2, sp), 16);
    long bytes = Long.parseLong(header.replaceFirst(".*1 line = (\\d+) bytes.*", "$1"));
    long end = a + bytes;
    if (s.low() == s.high()) {
      return Long.compareUnsigned(s.low(), a) >= 0 && Long.compareUnsigned(s.low(), end) < 0;
    }
    return Long.compareUnsigned(s.low(), end) < 0 && Long.compareUnsigned(s.high(), a) > 0;
  }
}
