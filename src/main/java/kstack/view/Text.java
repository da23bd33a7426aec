package kstack.view;

/**
 * How much room a line of the pictures' monospace text takes, for laying labels out without
 * overlaps: 0.62 of the font size a character (DejaVu Sans Mono and Liberation Mono, the fonts a
 * browser picks for "monospace" on Linux, advance 0.6 em; the rest is slack).
 */
final class Text {
  static final double FONT = 10;
  static final double SMALL = 9;
  private static final double ADVANCE = 0.62;

  private Text() {}

  static double width(String s, double font) {
    return s.length() * ADVANCE * font;
  }
}
