package io.interlock.edge;

import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.Constants;
import org.apache.coyote.Request;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes connections whose request line and headers are not complete within the deadline. Tomcat's
 * connection timeout is between bytes only, so a client sending a header byte a second would keep
 * its connection (and a slot under max-connections) for as long as the header size allows. The
 * sweep looks at Tomcat's own record of when each request started to arrive.
 */
public class HeaderDeadline implements WebServerFactoryCustomizer<TomcatServletWebServerFactory> {

    private final Duration deadline;

    public HeaderDeadline(@Value("${interlock.http.header-deadline:PT10S}") Duration deadline) {
        this.deadline = deadline;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        factory.setProtocol(Protocol.class.getName());
        factory.addProtocolHandlerCustomizers(handler -> ((Protocol) handler).deadline = deadline);
    }

    /** Tomcat's NIO protocol, plus the sweep; Tomcat instantiates it by name. */
    public static class Protocol extends Http11NioProtocol {
        private volatile Duration deadline = Duration.ofSeconds(10);
        private ScheduledFuture<?> sweep;

        @Override
        public void start() throws Exception {
            super.start();
            sweep = getUtilityExecutor().scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
        }

        @Override
        public void stop() throws Exception {
            if (sweep != null) {
                sweep.cancel(false);
            }
            super.stop();
        }

        private void sweep() {
            long now = System.nanoTime();
            long limit = deadline.toNanos();
            for (SocketWrapperBase<?> socket : getEndpoint().getConnections()) {
                // between requests no processor is attached: idle connections are keep-alive-timeout's business
                if (socket.getCurrentProcessor() instanceof AbstractProcessor processor) {
                    Request request = processor.getRequest();
                    long started = request.getStartTimeNanos();
                    // Tomcat marks a request ENDED whenever it hands the socket back to the poller: a processor
                    // left attached, not async and not in service, is one still waiting for its headers.
                    if (request.getRequestProcessor().getStage() == Constants.STAGE_ENDED && !processor.isAsync()
                            && started != -1 && now - started > limit) {
                        sweepOut(socket);
                    }
                }
            }
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private void sweepOut(SocketWrapperBase socket) {
            // the way Tomcat's own read timeout ends a connection: an error event, processed under the socket's lock
            getEndpoint().processSocket(socket, SocketEvent.ERROR, true);
        }
    }
}
