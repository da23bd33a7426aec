package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import kstack.image.Symbol;
import kstack.lang.expr.Expressions;
import kstack.lang.expr.Value;
import kstack.layout.CType;
import kstack.layout.Field;
import kstack.layout.StructLayout;
import kstack.machine.Machine;

/**
 * What the REPL offers when the user presses Tab: the words that may stand where the cursor is,
 * from the machine as it is now. The first word is a command; after {@code break} a function;
 * after {@code struct} a struct; after {@code bt}, {@code stack} a pid; after {@code help} a
 * command; {@code $}-words are registers; after {@code ->} or {@code .} the members of the struct
 * the expression before it points to (evaluated, so {@code current->} offers task_struct's members
 * of this generation); any other word in an expression a symbol. Sorted, without duplicates.
 */
public final class Completion {
  private final Machine m;

  public Completion(Machine m) {
    this.m = m;
  }

  /** The candidates for the word that ends at the end of {@code before} (the text left of the cursor). */
  public List<String> candidates(String before) {
    int start = wordStart(before);
    String word = before.substring(start);
    String head = before.substring(0, start).stripLeading();
    TreeSet<String> out = new TreeSet<>();
    if (head.isEmpty()) {
      out.addAll(Help.names());
    } else if (word.startsWith("$")) {
      m.arch().registers().visibleNames().forEach(r -> out.add("$" + r));
    } else if (head.endsWith("->") || head.endsWith(".")) {
      out.addAll(members(head.substring(0, head.length() - (head.endsWith("->") ? 2 : 1))));
    } else {
      String cmd = head.split("[\\s/(]", 2)[0];
      out.addAll(forCommand(cmd, head));
    }
    out.removeIf(c -> !c.startsWith(word));
    return new ArrayList<>(out);
  }

  private List<String> forCommand(String cmd, String head) {
    boolean firstArg = head.strip().equals(cmd);
    return switch (cmd) {
      case "break", "b" -> functions();
      case "struct" -> firstArg ? new ArrayList<>(m.structs().keySet()) : symbols();
      case "help" -> Help.names();
      case "bt", "backtrace", "stack" -> pids();
      case "info" -> firstArg ? List.of("breakpoints", "config", "registers", "symbol",
              "watchpoints")
          : head.strip().equals("info registers") ? m.arch().registers().visibleNames() : symbols();
      case "exception" -> List.of("db", "mc");
      default -> symbols();
    };
  }

  private List<String> functions() {
    return m.symbols().all().stream().filter(s -> s.kind() == Symbol.Kind.FUNC)
        .map(Symbol::name).toList();
  }

  private List<String> symbols() {
    List<String> out = new ArrayList<>(m.symbols().all().stream().map(Symbol::name).toList());
    out.add("current");
    return out;
  }

  private List<String> pids() {
    return m.inspector().snapshot().tasks().stream().map(t -> Integer.toString(t.pid())).toList();
  }

  /** Members of the struct that {@code operand} is (or points to); every member name if unknown. */
  private List<String> members(String text) {
    String operand = text.substring(operandStart(text));
    try {
      CType t = Expressions.eval(operand, m).type();
      while (t instanceof CType.Ptr p) {
        t = p.target();
      }
      StructLayout l = t instanceof CType.Struct s ? s.layout()
          : t instanceof CType.Named n ? m.struct(n.structName()) : null;
      if (l != null) {
        return l.fields().stream().map(Field::name).toList();
      }
    } catch (RuntimeException e) {
      // Not an expression yet (or one that faults): offer every member of every struct.
    }
    List<String> all = new ArrayList<>();
    m.structs().values().forEach(l -> l.fields().forEach(f -> all.add(f.name())));
    return all;
  }

  /** Where the word being completed starts: after the last blank or operator character. */
  public static int wordStart(String s) {
    int i = s.length();
    while (i > 0 && isWordChar(s.charAt(i - 1))) {
      i--;
    }
    return i;
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '$';
  }

  /**
   * Where the postfix expression that ends at the end of {@code s} starts: names, member
   * accesses and balanced brackets, so in {@code p foo(bar)->baz.} it is {@code foo(bar)->baz}.
   */
  static int operandStart(String s) {
    int i = s.length();
    int depth = 0;
    while (i > 0) {
      char c = s.charAt(i - 1);
      if (c == ')' || c == ']') {
        depth++;
      } else if ((c == '(' || c == '[') && depth > 0) {
        depth--;
      } else if (depth == 0 && !(isWordChar(c) || c == '.' || c == '>' && i > 1
          && s.charAt(i - 2) == '-' || c == '-' && i < s.length() && s.charAt(i) == '>')) {
        break;
      }
      i--;
    }
    return i;
  }
}
