/**
 * The value types that describe a stack as the rest of kstack sees it: a backtrace {@link
 * kstack.stack.Frame}, one labelled {@link kstack.stack.StackWord}, the {@link
 * kstack.stack.StackRange} a CPU's frames can be on, and the kinds of stacks and words. This
 * package sits below both {@code kstack.machine} and {@code kstack.arch}: arch code returns these
 * values and the machine shows them, and nothing here depends on either.
 */
package kstack.stack;
