import CharterCore
import Testing

/// Every path of the sale state machine, and the transfer rule (C6–C8), without a store.
@Suite struct SaleLifecycleTests {
    let outside = SaleBuyer(name: "Garage Indépendant", networkMember: false)
    let network = SaleBuyer(name: "Groupe Sud", networkMember: true, group: "g-south")

    func dealer(_ status: SaleStatus, membership: MemberStatus = .active) -> Member {
        Member(id: "d-lille", kind: .dealer, group: "g-north", name: "Lille", status: membership, saleStatus: status)
    }

    func step(_ action: SaleAction, _ status: SaleStatus, pending: SaleBuyer? = nil) -> SaleLifecycle.Step {
        SaleLifecycle.step(action, dealer: dealer(status), pendingBuyer: pending) { $0 == "g-south" }
    }

    @Test func aSaleOpensConcludesOrIsCancelled() {
        #expect(step(.open(outside), .active) == .move(to: .salePending, group: "g-north"))
        #expect(step(.open(network), .soldToNetwork) == .move(to: .salePending, group: "g-north"), "a dealership taken over may be sold again")
        #expect(step(.conclude, .salePending, pending: outside) == .move(to: .soldOutOfNetwork, group: "g-north"))
        #expect(step(.conclude, .salePending, pending: network) == .move(to: .soldToNetwork, group: "g-south"), "a takeover moves the group")
        #expect(step(.cancel, .salePending, pending: outside) == .move(to: .active, group: "g-north"))
    }

    @Test(arguments: [
        (SaleAction.conclude, SaleStatus.active), (.cancel, .active), (.cancel, .soldToNetwork), (.conclude, .soldOutOfNetwork),
        (.open(SaleBuyer(name: "X", networkMember: false)), .salePending), (.open(SaleBuyer(name: "X", networkMember: false)), .soldOutOfNetwork),
    ])
    func anActionThatDoesNotFitTheStateIsAConflict(action: SaleAction, status: SaleStatus) {
        guard case .refuse(.conflict(let reason)) = step(action, status, pending: outside) else {
            Issue.record("\(action.name) from \(status.rawValue) must be refused")
            return
        }
        #expect(reason.contains("d-lille"))
    }

    @Test func aBuyerMustNameAKnownGroupAndARevokedDealershipIsNotSold() {
        let unknown = SaleBuyer(name: "Nord", networkMember: true, group: "g-nowhere")
        guard case .refuse(.invalid(let error)) = step(.open(unknown), .active) else { Issue.record("an unknown group must be refused"); return }
        #expect(error.field == "buyer.group")
        let revoked = SaleLifecycle.step(.open(outside), dealer: dealer(.active, membership: .revoked), pendingBuyer: nil) { _ in true }
        guard case .refuse(.conflict) = revoked else { Issue.record("a revoked dealership is not sold"); return }
    }

    @Test func recordsGoOnlyFromASoldDealershipToAnActiveOne() {
        let sold = dealer(.soldOutOfNetwork)
        let lyon = Member(id: "d-lyon", kind: .dealer, group: "g-south", name: "Lyon")
        #expect(CustodyTransfer.decide(fromID: "d-lille", toID: "d-lyon", from: sold, to: lyon, existing: nil) == .allow)
        for from in [dealer(.active), dealer(.salePending), dealer(.soldToNetwork)] {
            guard case .refuse(.deny(let field, _)) = CustodyTransfer.decide(fromID: "d-lille", toID: "d-lyon", from: from, to: lyon, existing: nil) else {
                Issue.record("no transfer from a dealership that is \(from.saleStatus.rawValue)")
                continue
            }
            #expect(field == "from")
        }
        let brand = Member(id: "brand", kind: .oem, name: "Brand")
        var departed = lyon
        departed.saleStatus = .soldOutOfNetwork
        var revoked = lyon
        revoked.status = .revoked
        for to in [brand, departed, revoked, sold] {
            guard case .refuse(.deny(let field, _)) = CustodyTransfer.decide(fromID: "d-lille", toID: to.id, from: sold, to: to, existing: nil) else {
                Issue.record("no transfer to \(to.id) (\(to.kind.rawValue), \(to.status.rawValue), \(to.saleStatus.rawValue))")
                continue
            }
            #expect(field == "to")
        }
        let custody = Custody(dealer: "d-lille", custodian: "d-lyon", recordCount: 3, transferredBy: "brand", transferredAt: "t")
        #expect(CustodyTransfer.decide(fromID: "d-lille", toID: "d-lyon", from: sold, to: lyon, existing: custody) == .replay(custody))
        var roubaix = lyon
        roubaix.id = "d-roubaix"
        #expect(CustodyTransfer.decide(fromID: "d-lille", toID: "d-roubaix", from: sold, to: roubaix, existing: custody) == .refuse(.conflict(custody)))
    }
}
