"""Drives Tuan's pages in headless Chromium, once in Simplified Chinese and once in English, and
fails on any broken page, console error, missing element, catalogue key left unresolved (⟦key⟧),
English word left on a Chinese page (outside product and user data, which pages mark
translate="no"), time not shown in the deployment's zone, or poster QR code that Debian's zbar
does not read back to the exact share link. Called by Scripts/test-browser, which starts the
server (zh-CN default, Asia/Shanghai) and passes:

    check_pages.py BASE_URL PLANNER_TOKEN SUPPLIER_TOKEN TEAM_CAMPAIGN_ID SCREENSHOT_DIR LEADER_CODES
"""
import datetime
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, planner_token, supplier_token, team_campaign, shots, leader_codes, jacket_campaign, leader_token, handout_code = sys.argv[1:10]
leader_codes = leader_codes.split(",")
lang = "en"  # the journey's language, set per run below

# What each journey looks for, per language.
TEXT = {
    "zh-CN": {"home": "团购", "team_full": "已满员", "sign_out": "退出登录", "planner": "计划看板", "supplier": "的订单",
              "recorded": "已记录"},
    "en": {"home": "Group buys", "team_full": "it is full", "sign_out": "Sign out", "planner": "Planner", "supplier": "Orders for",
           "recorded": "was recorded"},
}
# Words that are the same in every language: the brand, notations and units planners use as is.
ALLOWED_WORDS = {"Tuan", "SKU", "API", "UTC", "Ti"}
DEPLOYMENT_OFFSET = datetime.timedelta(hours=8)  # Asia/Shanghai, no daylight saving

results = []  # (check, ok, detail)


def record(check, ok, detail=""):
    results.append((check, bool(ok), detail))
    print(("PASS " if ok else "FAIL ") + check + (f": {detail}" if detail else ""), flush=True)


def new_driver(phone=False):
    options = webdriver.ChromeOptions()
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars",
                 "--window-size=1280,1000"):
        options.add_argument(flag)
    if phone:
        # Headless windows are at least 500 px wide; emulate a phone's viewport instead.
        options.add_experimental_option("mobileEmulation", {"deviceMetrics": {"width": 390, "height": 844, "pixelRatio": 2}})
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def console_errors(driver, expected_status=None):
    """Console errors, except Chromium's note that this very page answered the status we asked for
    (a form re-shown with its errors is a 422 on purpose)."""
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] in ("SEVERE", "ERROR")]
    if expected_status:
        note = f"the server responded with a status of {expected_status}"
        errors = [e for e in errors if note not in e]
    return errors


def visit(driver, name, path, required_ids=(), expect_title=None):
    """Loads a page, checks it rendered (not an error page), its required elements and the console."""
    driver.get(base + path)
    check_page(driver, name, required_ids, expect_title)


# The text a visitor reads or hears: the body's text and the attributes screen readers speak,
# without what the page marks as data (translate="no"), plus that data for removal elsewhere.
VISIBLE_TEXT = """
const clone = document.body.cloneNode(true);
const data = [...document.querySelectorAll('[translate="no"]')].map(e => e.textContent);
clone.querySelectorAll('[translate="no"], script, style').forEach(e => e.remove());
let text = clone.textContent;
for (const e of clone.querySelectorAll('[aria-label], [title], [placeholder], [alt]'))
  for (const a of ['aria-label', 'title', 'placeholder', 'alt']) if (e.hasAttribute(a)) text += ' ' + e.getAttribute(a);
return [text, document.title, data, document.documentElement.lang];
"""


def check_language(driver, name):
    """No unresolved catalogue key anywhere; on a Chinese page, no English word outside data; every
    time shown in the deployment's zone, its wall clock matching its machine-readable instant."""
    text, title, data, page_lang = driver.execute_script(VISIBLE_TEXT)
    source = driver.page_source
    record(f"{name}: html lang is {lang}", page_lang == lang, page_lang)
    record(f"{name}: no missing catalogue key", "⟦" not in source, re.findall("⟦[^⟧]*⟧", source)[:3])
    if lang == "zh-CN":
        # Product and user data (titles, names, codes) may be English; it is removed before counting.
        for item in sorted(set(data), key=len, reverse=True):
            if item.strip():
                text = text.replace(item, " ")
                title = title.replace(item, " ")
        words = sorted(set(w for w in re.findall(r"[A-Za-z]{2,}", text + " " + title) if w not in ALLOWED_WORDS))
        record(f"{name}: no English left on the Chinese page", not words, ", ".join(words[:12]))
    wrong = []
    for element in driver.find_elements(By.CSS_SELECTOR, "time[datetime]"):
        instant = datetime.datetime.fromisoformat(element.get_attribute("datetime").replace("Z", "+00:00"))
        local = (instant + DEPLOYMENT_OFFSET).strftime("%H:%M")
        shown = element.get_attribute("textContent")
        if "(UTC+8)" not in shown or local not in shown:
            wrong.append(f"{element.get_attribute('datetime')} shown as {shown}")
    record(f"{name}: times are local (UTC+8)", not wrong, "; ".join(wrong[:3]))


def check_page(driver, name, required_ids=(), expect_title=None, expected_status=None):
    name = f"{lang}/{name}"
    title = driver.title
    record(f"{name}: page renders", not re.search("Error|出错了", title) and driver.find_elements(By.TAG_NAME, "main"), title)
    check_language(driver, name)
    if expect_title:
        record(f"{name}: title", expect_title in title, title)
    for element_id in required_ids:
        record(f"{name}: #{element_id} present", driver.find_elements(By.ID, element_id))
    errors = console_errors(driver, expected_status)
    record(f"{name}: no console errors", not errors, "; ".join(errors)[:300])
    # Accessibility basics: every input that is not hidden has a label, the page has one h1.
    unlabelled = []
    for field in driver.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select, textarea"):
        field_id = field.get_attribute("id")
        wrapped = field.find_elements(By.XPATH, "ancestor::label")
        if not wrapped and not (field_id and driver.find_elements(By.CSS_SELECTOR, f"label[for='{field_id}']")):
            unlabelled.append(field.get_attribute("name"))
    record(f"{name}: every field labelled", not unlabelled, ", ".join(unlabelled))
    record(f"{name}: one h1", len(driver.find_elements(By.TAG_NAME, "h1")) == 1)
    driver.save_screenshot(f"{shots}/{name.replace('/', '-')}.png")


def is_stale(element):
    """True once `element` has left the document. Chromium reports that either as a stale element
    or, when the page changed between two inspector calls, as "Node with given id does not belong
    to the document"; both mean the browser has moved on to the next page."""
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error) or "No node with given id" in str(error):
            return True
        raise


def submit(driver, button):
    """Clicks a button that submits a form and waits for the next page: a click can return before
    the browser has followed the POST's answer (and its redirect)."""
    old = driver.find_element(By.TAG_NAME, "html")
    button.click()
    WebDriverWait(driver, 15).until(lambda d: is_stale(old))
    WebDriverWait(driver, 15).until(lambda d: d.execute_script("return document.readyState") == "complete")


def number(driver, element_id):
    return int(re.sub(r"[^0-9]", "", driver.find_element(By.ID, element_id).text))


def status_of(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


team_code = ""
open_campaign = ""

def decode_qr(png_path):
    out = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", png_path], capture_output=True, text=True)
    return out.stdout.rstrip("\n")


def check_posters():
    """Every poster's QR code, from a phone-sized screenshot, reads back to the exact share link:
    leader codes of several lengths (so links of several lengths), both error-correction levels,
    and the team variant (the team opened in the journey)."""
    phone = new_driver(phone=True)
    try:
        phone.get(base + f"/?lang={lang}")
        cases = [(f"/c/{open_campaign}/poster?leader={code}", level) for code in leader_codes for level in ("M", "Q")]
        cases += [(f"/c/{team_campaign}/poster?team={team_code}", "Q")]
        for index, (path, level) in enumerate(cases):
            phone.get(base + path + ("&" if "?" in path else "?") + f"ec={level}")
            name = f"poster-{index}-{level}"
            check_page(phone, name, ["poster", "poster-qr", "poster-price", "poster-deadline"])
            link = phone.find_element(By.CSS_SELECTOR, ".poster-link").text.strip()
            shot = f"{shots}/{lang}-{name}-qr.png"
            phone.find_element(By.ID, "poster-qr").screenshot(shot)
            decoded = decode_qr(shot)
            record(f"{lang}/{name}: zbar reads the QR code back to the share link ({len(link)} characters)", decoded == link,
                   f"decoded {decoded!r}, link {link!r}")
    finally:
        phone.quit()

def journey():
    """The consumer journey, then the staff pages, in the current language (set by ?lang= on the
    first page, then remembered by the cookie)."""
    driver = new_driver()
    try:
        driver.get(base + f"/?lang={lang}")
        # Home: every link to a campaign page answers 200.
        visit(driver, "home", "/", ["campaigns"], TEXT[lang]["home"])
        links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "#campaigns a")]
        record(f"{lang}/home: lists open campaigns", len(links) > 0, f"{len(links)} links")
        broken = [link for link in links if status_of(link) != 200]
        record(f"{lang}/home: no broken campaign links", not broken, ", ".join(broken[:5]))

        # Campaign page: pledge through the form and see the counts rise.
        campaign_path = "/" + links[0].split("/", 3)[3]
        global open_campaign
        open_campaign = campaign_path.rsplit("/", 1)[1]
        visit(driver, "campaign", campaign_path, ["pledged-count", "joined-count", "countdown", "share-link", "pledge-button"])
        before_units, before_people = number(driver, "pledged-count"), number(driver, "joined-count")
        driver.find_element(By.ID, "consumer").send_keys("Browser Tester")
        quantity = driver.find_element(By.ID, "quantity")
        quantity.clear()
        quantity.send_keys("2")
        submit(driver, driver.find_element(By.ID, "pledge-button"))
        check_page(driver, "campaign-pledged", ["joined", "pledged-count"])
        after_units, after_people = number(driver, "pledged-count"), number(driver, "joined-count")
        record(f"{lang}/campaign: pledge raises the count", after_units == before_units + 2 and after_people == before_people + 1,
               f"units {before_units}->{after_units}, people {before_people}->{after_people}")

        # A bad submission shows the errors next to their fields, keeps what was typed (escaped:
        # markup in a name stays text), and records nothing.
        hostile = '"><i id="injected">x</i>'
        driver.find_element(By.ID, "consumer").send_keys(hostile)
        quantity = driver.find_element(By.ID, "quantity")
        quantity.clear()
        quantity.send_keys("lots")
        submit(driver, driver.find_element(By.ID, "pledge-button"))
        check_page(driver, "campaign-error", ["quantity-error"], expected_status=422)
        record(f"{lang}/campaign: invalid field is marked", driver.find_element(By.ID, "quantity").get_attribute("aria-invalid") == "true")
        record(f"{lang}/campaign: typed text kept and escaped",
               not driver.find_elements(By.ID, "injected") and driver.find_element(By.ID, "consumer").get_attribute("value") == hostile)
        record(f"{lang}/campaign: nothing recorded on error", number(driver, "pledged-count") == after_units)
        driver.find_element(By.ID, "consumer").clear()
        quantity = driver.find_element(By.ID, "quantity")
        quantity.clear()
        quantity.send_keys("1")
        submit(driver, driver.find_element(By.ID, "pledge-button"))
        check_page(driver, "campaign-empty-name", ["consumer-error"], expected_status=422)

        # A campaign of items: pick a size (no JavaScript: radio buttons), the sold-out one cannot be picked.
        visit(driver, "jacket", f"/c/{jacket_campaign}", ["item-choice", "pledge-button"])
        choices = driver.find_elements(By.CSS_SELECTOR, "#item-choice input[type=radio][name=sku]")
        record(f"{lang}/jacket: a choice per size", [c.get_attribute("value") for c in choices] == ["jacket-navy-m", "jacket-navy-l", "jacket-navy-xl"],
               ", ".join(c.get_attribute("value") for c in choices))
        record(f"{lang}/jacket: the sold-out size cannot be chosen", choices[-1].get_attribute("disabled") is not None if choices else False)
        before_units = number(driver, "pledged-count")
        driver.find_element(By.ID, "consumer").send_keys("Size picker")
        driver.find_element(By.CSS_SELECTOR, "#item-choice input[value='jacket-navy-l']").click()
        quantity = driver.find_element(By.ID, "quantity")
        quantity.clear()
        quantity.send_keys("2")
        submit(driver, driver.find_element(By.ID, "pledge-button"))
        check_page(driver, "jacket-pledged", ["joined", "joined-lines"])
        lines = driver.find_element(By.ID, "joined-lines").text
        record(f"{lang}/jacket: the pledge holds the size picked", "navy · L" in lines and "2" in lines, lines)
        record(f"{lang}/jacket: the count rises", number(driver, "pledged-count") == before_units + 2)

        # Team buy: open a team, follow the share link as a second buyer, the team fills.
        visit(driver, "team-campaign", f"/c/{team_campaign}", ["pledge-button"])
        driver.find_element(By.ID, "consumer").send_keys("Team opener")
        driver.find_element(By.NAME, "open_team").click()
        submit(driver, driver.find_element(By.ID, "pledge-button"))
        check_page(driver, "team-opened", ["joined", "share-link"])
        share = driver.find_element(By.ID, "share-link").get_attribute("href")
        record(f"{lang}/team: share link carries the team code", "team=T" in share, share)
        global team_code
        team_code = re.search(r"team=([A-Za-z0-9_-]+)", share).group(1) if "team=" in share else ""
        driver.get(share)
        check_page(driver, "team-share", ["team-status"])
        driver.find_element(By.ID, "consumer").send_keys("Team friend")
        submit(driver, driver.find_element(By.ID, "pledge-button"))
        check_page(driver, "team-joined", ["joined"])
        record(f"{lang}/team: fills", TEXT[lang]["team_full"] in driver.find_element(By.TAG_NAME, "main").text)

        # Phone-sized layout of the campaign page.
        phone = new_driver(phone=True)
        try:
            phone.get(base + f"/?lang={lang}")
            phone.get(base + campaign_path)
            check_page(phone, "campaign-phone", ["pledge-button"])
            width, viewport = phone.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
            record(f"{lang}/campaign-phone: no horizontal scrolling", width <= viewport == 390, f"scrollWidth {width}, viewport {viewport}")
        finally:
            phone.quit()

        # Planner: redirected to sign in, then the dashboard with charts and tables.
        driver.get(base + "/planner")
        record(f"{lang}/planner: asks to sign in", "/login" in driver.current_url, driver.current_url)
        check_page(driver, "login", ["token", "sign-in"])
        driver.find_element(By.ID, "token").send_keys("not-a-token")
        submit(driver, driver.find_element(By.ID, "sign-in"))
        check_page(driver, "login-refused", ["token-error"], expected_status=401)
        driver.find_element(By.ID, "token").send_keys(planner_token)
        submit(driver, driver.find_element(By.ID, "sign-in"))
        check_page(driver, "planner", ["open-campaigns", "bullwhip", "orders", "dead-h"], TEXT[lang]["planner"])
        record(f"{lang}/planner: projection charts drawn", len(driver.find_elements(By.CSS_SELECTOR, "svg[id], figure svg")) > 0)
        record(f"{lang}/planner: session cookie is HttpOnly and Secure",
               all(c.get("httpOnly") and c.get("secure") for c in driver.get_cookies() if c["name"] == "tuan_session")
               and any(c["name"] == "tuan_session" for c in driver.get_cookies()))
        submit(driver, driver.find_element(By.XPATH, f"//button[text()='{TEXT[lang]['sign_out']}']"))
        driver.get(base + "/planner")
        record(f"{lang}/planner: signed out", "/login" in driver.current_url)

        # Supplier: sign in, see orders with delivery attempts, accept one through the form.
        driver.get(base + "/login?next=/supplier")
        driver.find_element(By.ID, "token").send_keys(supplier_token)
        submit(driver, driver.find_element(By.ID, "sign-in"))
        check_page(driver, "supplier", [], TEXT[lang]["supplier"])
        forms = driver.find_elements(By.CSS_SELECTOR, "form[action$='/acknowledge']")
        record(f"{lang}/supplier: open orders have an answer form", len(forms) > 0, f"{len(forms)} forms")
        if forms:
            form = forms[0]
            form.find_element(By.CSS_SELECTOR, "input[type=date]").send_keys("12312030")
            submit(driver, form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
            check_page(driver, "supplier-answered", ["notice"])
            record(f"{lang}/supplier: answer recorded", TEXT[lang]["recorded"] in driver.find_element(By.ID, "notice").text)


        # Leader: the hand-out screen at phone width; the code typed in lower case, collected once.
        phone = new_driver(phone=True)
        try:
            phone.get(base + f"/?lang={lang}")
            phone.get(base + "/login?next=/leader")
            phone.find_element(By.ID, "token").send_keys(leader_token)
            submit(phone, phone.find_element(By.ID, "sign-in"))
            check_page(phone, "leader-phone", ["code", "collect-button", "waiting"])
            width, viewport = phone.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
            record(f"{lang}/leader-phone: no horizontal scrolling", width <= viewport == 390, f"scrollWidth {width}, viewport {viewport}")
            phone.find_element(By.ID, "code").send_keys(handout_code.lower())
            submit(phone, phone.find_element(By.ID, "collect-button"))
            if lang == "zh-CN":
                check_page(phone, "leader-collected", ["notice", "collected"])
                record(f"{lang}/leader: handed out", "Pickup tester" in phone.find_element(By.ID, "notice").text)
            else:
                # Collected in the first language's journey: the second is refused at the field.
                check_page(phone, "leader-again", ["code-error"], expected_status=409)
                record(f"{lang}/leader: a second hand-out is refused", phone.find_element(By.ID, "code").get_attribute("aria-invalid") == "true")
        finally:
            phone.quit()

        check_posters()
    finally:
        driver.quit()

for lang in ("zh-CN", "en"):
    journey()

failed = [r for r in results if not r[1]]
print()
print(f"{'check':62} result")
print(f"{'-' * 62} ------")
for check, ok, _ in results:
    print(f"{check[:62]:62} {'PASS' if ok else 'FAIL'}")
print(f"\n{len(results) - len(failed)} passed, {len(failed)} failed; screenshots in {shots}")
sys.exit(1 if failed else 0)
