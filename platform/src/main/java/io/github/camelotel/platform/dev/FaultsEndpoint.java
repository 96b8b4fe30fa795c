package io.github.camelotel.platform.dev;

import io.github.camelotel.platform.faults.Faults;
import java.util.Map;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code GET /actuator/faults} shows the fault spec, {@code POST /actuator/faults {"spec": "..."}} replaces it.
 * Development only, registered only with {@code FAULTS_ADMIN_ENABLED=true}: it lets anyone who reaches the port
 * break the app.
 */
@Endpoint(id = "faults")
public class FaultsEndpoint {

    private final Faults faults;

    public FaultsEndpoint(Faults faults) {
        this.faults = faults;
    }

    @ReadOperation
    public Map<String, String> read() {
        return Map.of("spec", faults.spec());
    }

    @WriteOperation
    public Map<String, String> write(String spec) {
        faults.configure(spec);
        return read();
    }
}
