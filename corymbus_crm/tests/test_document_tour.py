from odoo.tests import HttpCase, tagged


@tagged("post_install", "-at_install", "corymbus_documents")
class TestDocumentTour(HttpCase):
    """Attach a contract to a new deal; find it under Contract on its company."""

    def test_documents_tour(self):
        company = self.env["res.partner"].create(
            {"name": "Tour Freight", "is_company": True}
        )

        self.start_tour("/odoo", "corymbus_documents_tour", login="admin")

        contract = self.env["ir.attachment"].search(
            [("name", "=", "tour-contract.pdf")]
        )
        opportunity = self.env["corymbus.opportunity"].search(
            [("name", "=", "Tour Solar Park")]
        )
        self.assertEqual(len(contract), 1)
        self.assertEqual(
            (contract.res_model, contract.res_id),
            ("corymbus.opportunity", opportunity.id),
        )
        self.assertEqual(
            contract.corymbus_document_type_id,
            self.env.ref("corymbus_crm.corymbus_document_type_contract"),
        )
        self.assertEqual(opportunity.partner_id, company)
        self.assertIn(
            contract,
            self.env["ir.attachment"].search(
                company.action_open_corymbus_documents()["domain"]
            ),
        )
