package io.interlock.query.dashboard;

import io.interlock.command.support.Api;
import io.interlock.command.support.Instances;
import io.interlock.command.support.Storage;
import io.interlock.query.support.Browser;
import io.interlock.query.support.Stack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dashboard in a real browser (headless Chromium) against a real command side and query side
 * on PostgreSQL: an operator signs in, commands go in over HTTP, and what a person would check is
 * checked on the page. Screenshots are left in {@code target/screenshots}.
 */
class DashboardBrowserTest {

    private static Browser browser;

    @BeforeAll
    static void openTheBrowser() throws Exception {
        Stack.query();
        browser = Browser.start();
    }

    @AfterAll
    static void closeTheBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
    }

    @Test
    void anAdminWatchesCountsChangeAndTheLiveFeed() throws Exception {
        signIn("admin");
        assertThat(browser.find("#whoName").getText()).isEqualTo("admin");
        assertThat(browser.find("#whoRoles").getText()).isEqualTo("admin");
        browser.await("the counts", d -> browser.present("[data-count^='instances.vmState.']")
                || browser.present("[data-count^='nodes.']"));
        browser.await("the live feed", d -> browser.present("#liveStatus.live"));
        long building = count("instances.vmState.BUILDING");
        long spawning = count("instances.taskState.SPAWNING");

        String id = Instances.newId("web");
        Api.Response created = Api.as("alice").post(Stack.command(), "/v1/instances",
                "{\"id\":\"" + id + "\",\"name\":\"web\",\"flavor\":\"m1.small\"}");
        assertThat(created.status()).isEqualTo(201);

        WebElement change = browser.await("the new instance in the live feed",
                d -> d.findElements(By.cssSelector("tr[data-change='instances/acme:" + id + "']")).stream().findFirst()
                        .orElse(null));
        assertThat(change.getText()).contains("acme:" + id, "v0", "BUILDING", "SPAWNING");
        browser.await("BUILDING counted once more", d -> count("instances.vmState.BUILDING") == building + 1);
        assertThat(count("instances.taskState.SPAWNING")).isEqualTo(spawning + 1);
        // states are coloured by their kind in the table
        assertThat(kind("instances.vmState.BUILDING")).isEqualTo("stable");
        assertThat(kind("instances.taskState.SPAWNING")).isEqualTo("transitional");
        assertThat(browser.find("#liveStatus").getText()).isEqualTo("live");
        // an admin sees the projections, caught up
        browser.await("the projections", d -> browser.present("tr[data-projection='instance-projection']"));
        assertThat(browser.find("tr[data-projection='instance-projection']").getText()).contains("running");
        browser.screenshot("dashboard-overview");
    }

    @Test
    void utilisationShowsUsedAndFreeSlots() throws Exception {
        String node = Storage.node(Stack.command(), "alice", 4);
        String nqn = Storage.subsystem(Stack.command(), "alice", node, 8);
        assertThat(Storage.allocate(Stack.command(), "alice", nqn, "lvol-1").status()).isEqualTo(201);
        assertThat(Storage.allocate(Stack.command(), "alice", nqn, "lvol-2").status()).isEqualTo(201);
        signIn("admin");

        String css = "[data-node='acme:" + node + "']";
        // read in one look: the panel is redrawn as changes arrive
        List<String> shown = browser.await("the node's bar with its subsystem", d -> {
            WebElement use = d.findElement(By.cssSelector(css));
            List<String> seen = List.of(use.getAttribute("data-used"), use.getAttribute("data-max"),
                    use.findElement(By.cssSelector(".fraction")).getText(),
                    use.findElement(By.cssSelector("svg rect:nth-of-type(2)")).getAttribute("width"), use.getText());
            return seen.get(4).contains("2 / 8 namespaces") ? seen : null;
        });
        assertThat(shown.get(0)).isEqualTo("1");
        assertThat(shown.get(1)).isEqualTo("4");
        assertThat(shown.get(2)).isEqualTo("1 / 4 subsystem slots used (25%), 3 free");
        // the drawn bar is a quarter of the track
        assertThat(Double.parseDouble(shown.get(3))).isEqualTo(25.0);
        WebElement use = browser.find(css);
        ((JavascriptExecutor) browser.driver()).executeScript("arguments[0].scrollIntoView()", use);
        browser.screenshot("dashboard-utilisation");
    }

    @Test
    void aResourcePageShowsItsStateActionsDiagramAndTimeline() throws Exception {
        signIn("admin");
        browser.await("the live feed", d -> browser.present("#liveStatus.live"));
        String id = Instances.active(Stack.command(), "alice");
        assertThat(Api.as("alice").post(Stack.command(), "/v1/instances/" + id + "/actions/shelve", "{}").status())
                .isEqualTo(202);
        browser.await("the shelve in the live feed", d -> !d.findElements(
                By.cssSelector("tr[data-change='instances/acme:" + id + "'][data-version='2']")).isEmpty());
        browser.find("tr[data-change='instances/acme:" + id + "'] a").click();

        browser.await("the timeline", d -> d.findElements(By.cssSelector("#resourceTimeline li")).size() == 3);
        assertThat(browser.find("#resourceTitle").getText()).isEqualTo("instances acme:" + id);
        assertThat(browser.find("[data-field='vmState']").getText()).isEqualTo("ACTIVE");
        assertThat(browser.find("[data-field='taskState']").getText()).isEqualTo("SHELVING");
        List<String> events = browser.driver().findElements(By.cssSelector("#resourceTimeline li")).stream()
                .map(li -> li.getAttribute("data-event")).toList();
        assertThat(events).containsExactly("InstanceTaskStarted", "InstanceTaskCompleted", "InstanceCreated");
        assertThat(browser.find("#resourceTimeline li").getText()).contains("by alice");
        // while the shelve runs, only what may run during it is allowed
        assertThat(browser.find("#allowedActions").getText()).contains("lock").doesNotContain("stop");
        // the diagram is the table's, with the current state highlighted and its exits listed
        assertThat(browser.find(".diagram .node.current").getAttribute("data-state")).isEqualTo("ACTIVE");
        assertThat(browser.driver().findElements(By.cssSelector(".diagram .node"))).hasSize(12);
        assertThat(browser.find(".exits").getText()).contains("shelve (SHELVING) → SHELVED");
        browser.screenshot("dashboard-resource");
    }

    @Test
    void aMemberSeesItsOwnTenantOnly() throws Exception {
        String alices = Storage.node(Stack.command(), "alice", 2);
        signIn("bob");
        assertThat(browser.find("#whoName").getText()).isEqualTo("bob");
        assertThat(browser.find("#whoTenant").getText()).isEqualTo("tenant globex");
        assertThat(browser.find("#projectionsCard").isDisplayed()).isFalse();
        browser.await("bob's page", d -> browser.present("#liveStatus.live"));

        String aliceVm = Instances.newId("alice");
        assertThat(Api.as("alice").post(Stack.command(), "/v1/instances",
                "{\"id\":\"" + aliceVm + "\",\"name\":\"a\",\"flavor\":\"m1\"}").status()).isEqualTo(201);
        String bobVm = Instances.newId("bob");
        assertThat(Api.as("bob").post(Stack.command(), "/v1/instances",
                "{\"id\":\"" + bobVm + "\",\"name\":\"b\",\"flavor\":\"m1\"}").status()).isEqualTo(201);
        // changes reach a stream in commit order: once bob's is shown, alice's would have been
        browser.await("bob's own change", d -> browser.present("tr[data-change='instances/" + bobVm + "']"));
        String page = browser.find("main").getText();
        assertThat(page).doesNotContain(aliceVm).doesNotContain(alices).doesNotContain("acme");
        // the counts are bob's tenant's, as the API tells bob
        long bobsBuilding = Api.as("bob").get(Stack.query(), "/v1/stats").json().path("instances").path("vmState")
                .path("BUILDING").asLong();
        browser.await("bob's counts", d -> count("instances.vmState.BUILDING") == bobsBuilding);
        browser.screenshot("dashboard-member");
    }

    @Test
    void aWrongPasswordIsRefusedOnTheFormAndNothingGoesInTheUrl() throws Exception {
        browser.open(Stack.query().url("/"));
        ((JavascriptExecutor) browser.driver()).executeScript("sessionStorage.clear()");
        browser.open(Stack.query().url("/"));
        browser.await("the sign-in form", d -> browser.find("#signIn").isDisplayed());
        browser.find("#user").sendKeys("alice");
        browser.find("#password").sendKeys("not-her-password");
        browser.find("#signInButton").click();
        browser.await("the refusal", d -> browser.find("#signInError").getText().equals("Wrong user name or password."));
        assertThat(browser.find("#overview").isDisplayed()).isFalse();
        assertThat(browser.driver().getCurrentUrl()).doesNotContain("password").doesNotContain("alice");
    }

    private static void signIn(String user) {
        browser.open(Stack.query().url("/"));
        ((JavascriptExecutor) browser.driver()).executeScript("sessionStorage.clear()");
        browser.open(Stack.query().url("/"));
        browser.await("the sign-in form", d -> browser.find("#signIn").isDisplayed());
        browser.find("#user").sendKeys(user);
        browser.find("#password").sendKeys(Api.PASSWORDS.get(user));
        browser.find("#signInButton").click();
        browser.await("the overview", d -> browser.find("#overview").isDisplayed());
        assertThat(browser.driver().getCurrentUrl()).isEqualTo(Stack.query().url("/"));
    }

    /** The count a chart shows for one state, 0 when the chart has no bar for it. */
    private static long count(String key) {
        return browser.driver().findElements(By.cssSelector("[data-count='" + key + "']")).stream()
                .findFirst().map(bar -> Long.parseLong(bar.getAttribute("data-value"))).orElse(0L);
    }

    private static String kind(String key) {
        return browser.find("[data-count='" + key + "']").getAttribute("data-kind");
    }
}
