package kstack.lang;

import java.util.ArrayList;
import java.util.List;
import kstack.lang.Session.Call;
import kstack.lang.expr.Expressions;
import kstack.lang.expr.Value;
import kstack.layout.StructLayout;
import kstack.machine.Machine;

/**
 * crash's {@code list -H HEAD [-o OFFSET] [-s STRUCT.MEMBER]}: walks a kernel list (struct list_head,
 * include/linux/list.h) from its head through the next pointers back to the head, as
 * list_for_each_entry does, and prints each entry's address (the node minus OFFSET, container_of)
 * and, with -s, a member of each entry. OFFSET is a number or STRUCT.MEMBER; without it, the
 * offset of the member of STRUCT named like the head's last member ({@code init_task.tasks} with
 * {@code -s task_struct.comm} walks task_struct.tasks).
 */
final class ListCmd {
  static final String USAGE = "list -H HEAD [-o OFFSET|STRUCT.MEMBER] [-s STRUCT.MEMBER]";
  /** Entries walked at most: a list an overflow has made circular elsewhere still ends. */
  static final int MAX = 10_000;

  private ListCmd() {}

  static Result run(Session s, Call c, String cmd) {
    Machine m = s.machine();
    Call.Word head = null;
    Call.Word off = null;
    Call.Word show = null;
    List<Call.Word> w = c.words();
    for (int i = 0; i < w.size(); i++) {
      String o = w.get(i).text();
      if (!List.of("-H", "-o", "-s").contains(o) || i + 1 == w.size()) {
        throw at(c, w.get(i), "list: expected an option; usage: " + USAGE);
      }
      Call.Word v = w.get(++i);
      switch (o) {
        case "-H" -> head = v;
        case "-o" -> off = v;
        default -> show = v;
      }
    }
    if (head == null) {
      throw c.errorAtWord("usage: " + USAGE);
    }
    Value hv = c.eval(head.text(), head.column());
    long first = hv instanceof Value.LValue lv ? lv.address() : Expressions.address(hv, m);
    String[] member = show == null ? null : structMember(m, c, show);
    long offset = offset(m, c, off, member, head);
    List<String> text = new ArrayList<>();
    List<Object> entries = new ArrayList<>();
    int word = m.arch().types().word;
    long node = m.inspector().read(first, word);
    while (node != first) {
      if (entries.size() == MAX) {
        throw at(c, head, "list: more than " + MAX + " entries (a corrupt list?)");
      }
      long entry = node - offset;
      text.add(String.format("%0" + word * 2 + "x", entry));
      entries.add("0x" + Long.toHexString(entry));
      if (member != null) {
        Value v = c.eval(String.format("((struct %s *)0x%x)->%s", member[0], entry, member[1]),
            show.column());
        text.add("  " + member[1] + " = " + Expressions.format(v, (char) 0, m));
      }
      node = m.inspector().read(node, word);
    }
    return Result.of(cmd, text).with("entries", entries);
  }

  private static long offset(Machine m, Call c, Call.Word off, String[] member, Call.Word head) {
    if (off != null) {
      if (off.text().contains(".")) {
        String[] sm = structMember(m, c, off);
        return m.struct(sm[0]).offsetOfPath(sm[1]);
      }
      return c.eval(off.text(), off.column()).asLong();
    }
    if (member == null) {
      return 0;
    }
    String h = head.text();
    String link = h.substring(Math.max(h.lastIndexOf('.'), h.lastIndexOf('>')) + 1);
    StructLayout l = m.struct(member[0]);
    if (!l.hasPath(link)) {
      throw at(c, head, "list: struct " + member[0] + " has no member " + link + " to link its"
          + " entries; give it with -o STRUCT.MEMBER");
    }
    return l.offsetOfPath(link);
  }

  /** STRUCT.MEMBER as {struct, member path}, both checked against the model. */
  private static String[] structMember(Machine m, Call c, Call.Word w) {
    int dot = w.text().indexOf('.');
    if (dot <= 0) {
      throw at(c, w, "list: expected STRUCT.MEMBER, not " + w.text());
    }
    String name = w.text().substring(0, dot);
    String path = w.text().substring(dot + 1);
    StructLayout l = m.struct(name);
    if (l == null) {
      throw at(c, w, "list: no struct " + name + " in the " + m.profile().label() + " model");
    }
    if (!l.hasPath(path)) {
      throw at(c, w, "list: struct " + name + " has no member " + path);
    }
    return new String[] {name, path};
  }

  private static ScriptError at(Call c, Call.Word w, String message) {
    return new ScriptError(c.line.file(), c.line.number(), w.column(), message);
  }
}
