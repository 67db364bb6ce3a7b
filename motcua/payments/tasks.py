"""Background work of payments (``motcua worker``): render and sign (or have the
provider issue) the receipts a payment issued, and cancel a receipt at the provider, after
their commit."""

from django.conf import settings
from django_tasks import task

from motcua.payments.models import Receipt
from motcua.payments.providers import provider_on
from motcua.payments.receipts import cancel_at_provider, sign_pending


@task()
def sign_receipts(unit_id: str, receipt_id: str | None = None) -> int:
    """Sign the unit's receipts that wait for their PDF (``receipt_id``, the payment's own,
    first), with the seal passphrase the deployment keeps for unattended signing
    (MOTCUA_RECEIPT_PASSPHRASE), or through the configured provider; without either they wait
    for the clerk ("Ký số biên lai")."""
    passphrase = settings.MOTCUA_RECEIPT_PASSPHRASE
    if not passphrase and not provider_on():
        return 0
    return sign_pending(unit_id, passphrase, first=receipt_id)


@task()
def cancel_receipt(receipt_id: str) -> bool:
    """Tell the provider that issued a receipt that it is cancelled (nothing to do for one
    MộtCửa signed itself)."""
    receipt = Receipt.objects.filter(pk=receipt_id).first()
    return receipt is not None and cancel_at_provider(receipt)
