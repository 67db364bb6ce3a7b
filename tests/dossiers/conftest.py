from motcua.workflow import actions


def intake(**overrides) -> actions.IntakeData:
    applicant = actions.ApplicantData(
        name="Nguyễn Văn An",
        id_number="019085001234",
        phone="0912345678",
        email="an@example.vn",
        address="Thôn Nà Lẹng, xã Bình Thành",
    )
    data = {
        "procedure_code": "2.001035",
        "channel": "direct",
        "applicant": applicant,
        "components": ["Dự thảo hợp đồng", "Giấy tờ tùy thân"],
    }
    data.update(overrides)
    return actions.IntakeData(**data)
