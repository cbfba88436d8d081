import Foundation
import Testing
import TuanDomain

/// Products as variants of a style (issue 22's catalog part): a down jacket in colours and sizes.
@Suite struct StyleRouteSpecs {
    @Test func aStylesVariantsCarryTheirAttributesInOrderAndListTogether() async throws {
        let api = try InProcessAPI()
        _ = try await api.create("/v1/suppliers", #"{"name":"Factory"}"#)
        for colour in ["navy", "red"] {
            for size in ["S", "M"] {
                let created = await api.call("POST", "/v1/products", token: api.admin, body: """
                    {"sku":"jacket-\(colour)-\(size)","supplier_id":1,"name":"Down jacket","unit_cost_minor":30000,"category":"outerwear",
                     "style":"down-jacket-2026","attributes":{"colour":"\(colour)","size":"\(size)"}}
                    """)
                #expect(created.status == 201, "\(created.text)")
            }
        }
        _ = await api.call("POST", "/v1/products", token: api.admin, body: #"{"sku":"tea","supplier_id":1,"name":"Tea","unit_cost_minor":400}"#)
        let style = await api.call("GET", "/v1/products?style=down-jacket-2026", token: api.storefront)
        let variants = style.json?["products"]?.arrayValue ?? []
        #expect(variants.compactMap { $0["sku"]?.stringValue } == ["jacket-navy-M", "jacket-navy-S", "jacket-red-M", "jacket-red-S"])
        #expect(style.text.contains(#""attributes":{"colour":"navy","size":"M"}"#))
        let all = await api.call("GET", "/v1/products", token: api.planner).json?["products"]?.arrayValue ?? []
        #expect(all.count == 5 && all.last?["style"] == .null && all.last?["attributes"] == .object([]))
        #expect(await api.call("GET", "/v1/products?style=no%20spaces", token: api.planner).status == 422)
        for (extra, field) in [(#""attributes":{"size":"M"}"#, "attributes"),
                               (#""style":"s","attributes":{"size":1}"#, "attributes.size"),
                               (#""style":"s","attributes":[1]"#, "attributes"),
                               (#""style":"has space""#, "style"),
                               (#""style":"s","attributes":{"a":"1","b":"2","c":"3","d":"4","e":"5","f":"6","g":"7","h":"8","i":"9"}"#, "attributes")] {
            let refused = await api.call("POST", "/v1/products", token: api.admin,
                                         body: #"{"sku":"x","supplier_id":1,"name":"X","unit_cost_minor":1,\#(extra)}"#)
            #expect(refused.status == 422 && refused.json?["error"]?["message"]?.stringValue?.hasPrefix(field) == true, "\(extra): \(refused.text)")
        }
    }
}
