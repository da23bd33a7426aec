package kstack.exec;

/**
 * A handle to a C parameter or local of a routine, named as in the kernel source. Each class that
 * builds routines declares one nested enum of the names it uses, e.g.
 * {@code enum L implements Local { clone_flags, stack_start, p, nr }}; a typo is then a compile
 * error. {@link RoutineBuilder#params}/{@link RoutineBuilder#locals} give a routine its handles and
 * fix each one's frame slot when the routine is built; a step reads and writes them with
 * {@link Exec#get(Local)} and {@link Exec#set(Local, long)}, an array index at run time. A handle
 * the routine does not declare fails with a message naming the routine and the local.
 *
 * <p>Implemented by enum constants only: {@link #name()} is the C name (what step texts and the
 * by-name lookup of {@link Routine#localSlot(String)} show), {@link #ordinal()} indexes the
 * routine's slot table.
 */
public interface Local {
  /** The C name of the parameter or local. */
  String name();

  /** The position of the constant in its enum: the index into a routine's slot table. */
  int ordinal();
}
