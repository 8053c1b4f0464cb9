package dev.herald.server;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A handler with one deadline and at most one timer task on its event loop. Moving the deadline
 * later costs nothing: a timer that fires early finds the later deadline and schedules itself
 * again, so a busy keep-alive connection pays about one timer task per timeout period, not one per
 * request. Only a deadline earlier than the pending timer replaces it. On the event loop only.
 */
abstract class DeadlineHandler extends ChannelDuplexHandler {
  /** No deadline: nothing expires. */
  static final long NONE = Long.MAX_VALUE;

  private ChannelHandlerContext ctx;
  private long deadline = NONE;
  private ScheduledFuture<?> timer;
  private long timerAt;

  /** Called on the event loop when the deadline has passed. */
  abstract void expired(ChannelHandlerContext ctx);

  /** Called once the handler is in an active channel's pipeline: set the first deadline here. */
  abstract void started(ChannelHandlerContext ctx);

  /**
   * Sets the deadline to {@code nanos} from now, or clears it if {@code nanos} is {@link #NONE}.
   */
  final void deadlineIn(long nanos) {
    deadline = nanos == NONE ? NONE : System.nanoTime() + nanos;
  }

  /** Makes sure a timer fires by the deadline; call after {@link #deadlineIn} where it matters. */
  final void arm() {
    if (deadline == NONE || ctx == null || (timer != null && timerAt - deadline <= 0)) {
      return;
    }
    if (timer != null) {
      timer.cancel(false);
    }
    timerAt = deadline;
    timer = ctx.executor().schedule(this::fire, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
  }

  private void fire() {
    timer = null;
    if (deadline == NONE || ctx == null || !ctx.channel().isActive()) {
      return;
    }
    if (System.nanoTime() - deadline < 0) {
      arm(); // the deadline moved later since this timer was set
    } else {
      deadline = NONE;
      expired(ctx);
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    if (ctx.channel().isActive()) {
      begin(ctx);
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    begin(ctx);
    super.channelActive(ctx);
  }

  private void begin(ChannelHandlerContext ctx) {
    if (this.ctx == null) {
      this.ctx = ctx;
      started(ctx);
      arm();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stop();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    stop();
    super.channelInactive(ctx);
  }

  private void stop() {
    deadline = NONE;
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
