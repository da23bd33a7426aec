package kstack.arch.i386;

import java.util.Map;
import kstack.layout.StructLayout;
import kstack.layout.Types;
import kstack.profile.Module;
import kstack.profile.Profile;

/** The struct layouts of an i386 generation (pt_regs, thread_info, thread_struct, the TSS). */
public interface I386LayoutModel extends Module {
  /** The layouts by struct name, in the order the image registers them. */
  Map<String, StructLayout> structs(Profile p, Types t);
}
