import Foundation
import Testing
import TuanDomain
@testable import TuanService

/// The pages in Chinese and English over real HTTP: the language chosen and remembered, local
/// times, localised errors, the share QR code, the poster and the link preview.
@Suite struct LocalizedPagesTests {
    static let form = ["Content-Type": "application/x-www-form-urlencoded"]

    func seed(_ s: LiveService, zone: String? = nil) async -> Int64 {
        _ = await s.call("POST", "/v1/suppliers", token: s.admin, body: #"{"name":"Farm"}"#)
        _ = await s.call("POST", "/v1/products", token: s.admin, body: #"{"sku":"tea","supplier_id":1,"name":"Tea","unit_cost_minor":400}"#)
        _ = await s.call("POST", "/v1/leaders", token: s.admin,
                         body: #"{"code":"wang","name":"Wang","pickup_point":"East gate","commission_bps":500}"#)
        let zoneField = zone.map { #","time_zone":"\#($0)""# } ?? ""
        let c = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
            {"sku":"tea","title":"Spring tea","closes_at":"2099-01-01T00:00:00Z","threshold":3,"max_per_pledge":5,
             "tiers":[{"min_quantity":1,"unit_price_minor":123450},{"min_quantity":10,"unit_price_minor":800}],"deposit_per_unit_minor":100\(zoneField)}
            """)
        return c.json?["id"]?.intValue ?? 0
    }

    @Test func chineseIsChosenByQueryRememberedByCookieAndAskedByTheBrowser() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let id = await seed(s)
        let chosen = await s.call("GET", "/c/\(id)?lang=zh-CN")
        #expect(chosen.status == 200 && chosen.text.contains(#"<html lang="zh-CN">"#) && chosen.text.contains("参加这个团购"))
        #expect(chosen.headers["set-cookie"]?.hasPrefix("tuan_lang=zh-CN;") == true)
        #expect(chosen.text.contains("¥1,234.50") && !chosen.text.contains("⟦"))
        let remembered = await s.call("GET", "/c/\(id)", headers: ["Cookie": "tuan_lang=zh-CN"])
        #expect(remembered.text.contains(#"<html lang="zh-CN">"#) && remembered.headers["set-cookie"] == nil)
        let browser = await s.call("GET", "/", headers: ["Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"])
        #expect(browser.text.contains("正在进行的团购"))
        let english = await s.call("GET", "/c/\(id)", headers: ["Accept-Language": "en-US"])
        #expect(english.text.contains(#"<html lang="en">"#) && english.text.contains("Join this group buy"))
        #expect(english.headers["vary"]?.contains("Accept-Language") == true)
    }

    /// A deployment configured for Chinese speaks it to a browser that names no language, in
    /// Asia/Shanghai time; a campaign with its own zone shows that one.
    @Test func aChineseDeploymentShowsShanghaiTimeAndACampaignItsOwnZone() async throws {
        let s = try LiveService(delivery: nil, pages: try PageSettings(defaultLanguage: "zh-CN"))
        defer { s.stop() }
        let id = await seed(s)
        let page = await s.call("GET", "/c/\(id)")
        // 2099-01-01T00:00:00Z is 08:00 in Shanghai.
        #expect(page.text.contains(#"<time datetime="2099-01-01T00:00:00Z" data-zone="Asia/Shanghai">2099年1月1日 08:00 (UTC+8)</time>"#))
        let berlin = await seed(s, zone: "Europe/Berlin")
        let local = await s.call("GET", "/c/\(berlin)")
        #expect(local.text.contains("2099年1月1日 01:00 (UTC+1)"))
        let json = await s.call("GET", "/v1/campaigns/\(berlin)")
        #expect(json.json?["time_zone"]?.stringValue == "Europe/Berlin" && json.json?["closes_at"]?.stringValue == "2099-01-01T00:00:00Z")
        let bad = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
            {"sku":"tea","title":"x","closes_at":"2099-01-01T00:00:00Z","threshold":3,"tiers":[{"min_quantity":1,"unit_price_minor":100}],"time_zone":"Mars/Base"}
            """)
        #expect(bad.status == 422 && bad.text.contains("time_zone: must be an IANA time zone name"))
        // At and past the name's bound (64 bytes), empty, and an abbreviation: all refused, nothing stored.
        for zone in [String(repeating: "A", count: 31) + "/" + String(repeating: "b", count: 32), String(repeating: "A", count: 65), "", "CST", "../etc"] {
            let refused = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
                {"sku":"tea","title":"x","closes_at":"2099-01-01T00:00:00Z","threshold":3,"tiers":[{"min_quantity":1,"unit_price_minor":100}],"time_zone":"\(zone)"}
                """)
            #expect(refused.status == 422, "\(zone): \(refused.status)")
        }
        let listed = await s.call("GET", "/v1/campaigns", token: s.admin)
        #expect(listed.json?["campaigns"]?.arrayValue?.count == 2)
    }

    @Test func formErrorsAreInTheVisitorsLanguage() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let id = await seed(s)
        let empty = await s.call("POST", "/c/\(id)?lang=zh-CN", body: "consumer=&quantity=lots&form_key=k1", headers: Self.form)
        #expect(empty.status == 422 && empty.text.contains("请填写你的名字或手机号。") && empty.text.contains("请填写整数件数。"))
        let tooMany = await s.call("POST", "/c/\(id)", body: "consumer=Li&quantity=9&form_key=k2",
                                   headers: Self.form.merging(["Cookie": "tuan_lang=zh-CN"]) { $1 })
        #expect(tooMany.status == 422 && tooMany.text.contains("请填写 1 到 5 之间的件数。"))
        let unknownLeader = await s.call("POST", "/c/\(id)?lang=zh-CN", body: "consumer=Li&quantity=1&leader_code=nobody&form_key=k3",
                                         headers: Self.form)
        #expect(unknownLeader.text.contains("没有这个团长编号。"))
        let badLeader = await s.call("POST", "/c/\(id)?lang=zh-CN", body: "consumer=Li&quantity=1&leader_code=no%20body&form_key=k5",
                                     headers: Self.form)
        #expect(badLeader.text.contains("团长编号只能包含字母、数字、- 和 _。") && !badLeader.text.contains("没有这个团长编号。"))
        let limited = await s.call("POST", "/v1/campaigns", token: s.admin, body: """
            {"sku":"tea","title":"Limited","closes_at":"2099-01-01T00:00:00Z","threshold":3,"max_per_consumer":2,"tiers":[{"min_quantity":1,"unit_price_minor":100}]}
            """)
        let limitedID = try #require(limited.json?["id"]?.intValue)
        let overLimit = await s.call("POST", "/c/\(limitedID)?lang=zh-CN", body: "consumer=Li&quantity=3&form_key=k4", headers: Self.form)
        #expect(overLimit.status == 409 && overLimit.text.contains("超过了这个团购每人可认购的上限。"))
        let missing = await s.call("GET", "/c/999?lang=zh-CN")
        #expect(missing.status == 404 && missing.text.contains("找不到这个页面。") && missing.text.contains(#"lang="zh-CN""#))
    }

    @Test func sharingShowsAQRCodeAPosterAndALinkPreview() async throws {
        let s = try LiveService(delivery: nil)
        defer { s.stop() }
        let id = await seed(s)
        let page = await s.call("GET", "/c/\(id)?leader=wang")
        #expect(page.text.contains(#"<svg xmlns="http://www.w3.org/2000/svg""#) && page.text.contains(#"id="share-qr""#))
        #expect(page.text.contains(#"href="/c/\#(id)/poster?leader=wang""#))
        #expect(page.text.contains(#"<meta property="og:title" content="Spring tea">"#) && page.text.contains(#"<meta property="og:url" content="http://test/c/\#(id)?leader=wang">"#))
        let poster = await s.call("GET", "/c/\(id)/poster?leader=wang&lang=zh-CN")
        #expect(poster.status == 200 && poster.text.contains("扫码参团") && poster.text.contains("http://test/c/\(id)?leader=wang"))
        #expect(poster.text.contains(#"class="qr""#) && poster.text.contains("¥1,234.50"))
        // A code no leader has is left off the poster: a printed link that fails helps nobody.
        let forged = await s.call("GET", "/c/\(id)/poster?leader=forged")
        #expect(forged.status == 200 && !forged.text.contains("leader=forged"))
        let medium = await s.call("GET", "/c/\(id)/poster?ec=M")
        #expect(medium.status == 200 && medium.text != forged.text)
        #expect(await s.call("GET", "/c/999/poster").status == 404)
    }
}
