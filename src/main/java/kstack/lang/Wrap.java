package kstack.lang;

import java.util.ArrayList;
import java.util.List;

/** Word wrapping for help text: a first-line lead, continuation lines indented to match it. */
final class Wrap {
  private Wrap() {}

  static List<String> hanging(String lead, String text, int width) {
    List<String> out = new ArrayList<>();
    String indent = " ".repeat(lead.length());
    StringBuilder line = new StringBuilder(lead);
    boolean empty = true;
    for (String word : text.split(" ")) {
      if (!empty && line.length() + 1 + word.length() > width) {
        out.add(line.toString());
        line = new StringBuilder(indent);
        empty = true;
      }
      if (!empty) {
        line.append(' ');
      }
      line.append(word);
      empty = false;
    }
    out.add(line.toString());
    return out;
  }
}
