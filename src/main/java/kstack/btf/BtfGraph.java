package kstack.btf;

import java.util.List;

/**
 * Validates the type graph of one blob once it is read: every referenced type id exists, and the
 * references that must end somewhere do (a typedef, qualifier, pointer, array, function, variable
 * or section chain, which sizeof and the printers follow). A struct's or union's members are the
 * one place a C type may refer back to itself (through a pointer), so those edges are not
 * followed here; the printers guard their own expansion. The kernel's verifier bounds the same
 * chains (kernel/bpf/btf.c@6.18, MAX_RESOLVE_DEPTH); this bound is looser.
 */
final class BtfGraph {
  /** The deepest chain of references accepted; real kernels' run to about ten. */
  static final int MAX_DEPTH = 64;

  private static final byte NEW = 0;
  private static final byte OPEN = 1;
  private static final byte DONE = 2;

  private final Btf btf;
  private final int first;
  private final int count;

  BtfGraph(Btf btf) {
    this.btf = btf;
    this.first = btf.firstId();
    this.count = btf.count();
  }

  /** Checks every type; returns each type's depth (indexed by id - first). */
  int[] validate() {
    int n = count - first;
    for (int i = 0; i < n; i++) {
      BtfType t = btf.type(first + i);
      for (int ref : t.refs()) {
        if (ref < 0 || ref >= count) {
          throw new BtfException(btf.offsetOf(t.id()), "type " + t.id() + " (" + t.kind()
              + describe(t) + ") refers to type id " + ref + ", past the last id " + (count - 1));
        }
      }
    }
    byte[] state = new byte[n];
    int[] depth = new int[n];
    int[] stack = new int[n];
    int[] edge = new int[n];
    for (int i = 0; i < n; i++) {
      if (state[i] == NEW) {
        walk(i, state, depth, stack, edge);
      }
    }
    return depth;
  }

  /** Depth-first, without recursion (a hostile chain may be as long as the blob allows). */
  private void walk(int root, byte[] state, int[] depth, int[] stack, int[] edge) {
    int sp = 0;
    stack[sp++] = root;
    state[root] = OPEN;
    edge[root] = 0;
    while (sp > 0) {
      int i = stack[sp - 1];
      List<Integer> refs = chained(btf.type(first + i));
      if (edge[i] < refs.size()) {
        int ref = refs.get(edge[i]++);
        int j = ref - first;
        if (j < 0) {
          depth[i] = Math.max(depth[i], btf.depth(ref));
          continue;
        }
        if (state[j] == OPEN) {
          throw new BtfException(btf.offsetOf(first + i), "type " + (first + i)
              + " refers back to type " + ref + " through a loop of references");
        }
        if (state[j] == NEW) {
          state[j] = OPEN;
          edge[j] = 0;
          stack[sp++] = j;
          continue;
        }
        depth[i] = Math.max(depth[i], depth[j]);
        continue;
      }
      depth[i] += 1;
      if (depth[i] > MAX_DEPTH) {
        throw new BtfException(btf.offsetOf(first + i), "type " + (first + i)
            + " starts a chain of more than " + MAX_DEPTH + " references");
      }
      state[i] = DONE;
      sp--;
      if (sp > 0) {
        int parent = stack[sp - 1];
        depth[parent] = Math.max(depth[parent], depth[i]);
      }
    }
  }

  /** The references a type's size or declaration follows (not a struct's or union's members). */
  private static List<Integer> chained(BtfType t) {
    return t instanceof BtfType.Composite ? List.of() : t.refs();
  }

  private static String describe(BtfType t) {
    return t.name().isEmpty() ? "" : " " + t.name();
  }
}
