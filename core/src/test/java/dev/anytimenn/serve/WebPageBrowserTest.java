package dev.anytimenn.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in a real browser: Debian's chromium and chromedriver through Selenium, offline
 * (SE_OFFLINE, fixed binary paths). It draws on the canvas, submits, and waits for the exits' answers
 * to appear. Skipped, saying so, where Chromium is not installed (.ci/run installs it).
 */
class WebPageBrowserTest {

    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path profile;

    @Test
    void drawingAndSubmittingShowsEachExitsAnswer() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "Chromium is not installed (apt-get install chromium chromium-driver): the browser test is skipped");
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1200,900");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();

        try (AnytimeServer server = ServerTestSupport.startShipped(ServerTestSupport.config(2))) {
            WebDriver browser = new ChromeDriver(service, options);
            try {
                browser.get(server.uri().toString());
                WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(30));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("status"), "model ready"));

                WebElement pad = browser.findElement(By.id("pad"));
                new Actions(browser).moveToElement(pad, -60, -80).clickAndHold().moveByOffset(40, 60)
                        .moveByOffset(40, 60).moveByOffset(-20, 50).release().perform();
                Object lit = ((org.openqa.selenium.JavascriptExecutor) browser).executeScript(
                        "const d = document.getElementById('pad').getContext('2d').getImageData(0, 0, 280, 280).data;"
                                + "let n = 0; for (let i = 0; i < d.length; i += 4) { if (d[i] > 128) n++; } return n;");
                assertThat(((Number) lit).intValue()).as("pixels the stroke drew").isGreaterThan(500);

                browser.findElement(By.id("classify")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("final"), "Answer:"));

                List<WebElement> rows = browser.findElements(By.cssSelector("#exits tr.exit-row"));
                assertThat(rows).as("one row per exit reached").isNotEmpty();
                List<String> classes = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",
                        "Sneaker", "Bag", "Ankle boot");
                for (int k = 0; k < rows.size(); k++) {
                    List<WebElement> cells = rows.get(k).findElements(By.tagName("td"));
                    assertThat(cells.get(0).getText()).isEqualTo((k + 1) + " / 6");
                    assertThat(classes).contains(cells.get(1).getText());
                    assertThat(cells.get(2).getText()).endsWith(" %");
                }
                String answer = browser.findElement(By.id("final")).getText();
                assertThat(answer).contains("exit " + rows.size() + " of 6");
                assertThat(classes.stream().anyMatch(answer::contains)).as(answer).isTrue();
                assertThat(browser.findElement(By.id("status")).getText()).isEqualTo("done");
            } finally {
                browser.quit();
            }
        }
    }
}
