"""Partners an import may match, remembered by the keys it looks them up by.

The contact import reads the candidates of a whole chunk of entries in a few
queries (see ``CorymbusContactImport._prefetch_candidates``) instead of
searching the partner table once per entry and key. This module holds them
without touching the database: it only maps keys to record ids.

The index may hold more ids than match: a partner renamed by the import stays
under its old name too. The wizard checks each candidate's current values
before using it, so a stale id is skipped, never matched. What the index must
not do is forget a partner: every partner or channel the import writes is
added again under its new keys, and additions made by entries that are
rolled back are undone with :meth:`CandidateIndex.undo`.
"""

from collections import defaultdict

from ..importers.record import clean_text

# Kinds of key.
UID = "uid"
EMAIL = "email"
PHONE = "phone"
NAME = "name"
TAG = "tag"


def name_key(name):
    """Key of a partner or tag name: trimmed, NFC and casefolded."""
    return clean_text(name or "").casefold()


class CandidateIndex:
    """Ids of partners, channels and tags by the keys an import matches on.

    ``fetched`` remembers the keys already read from the database: what it
    holds for them cannot change during the import except through the
    import's own writes, which are added here as they happen.
    """

    def __init__(self):
        self._ids = defaultdict(set)
        # Channels by their kind and match key; each one's partner.
        self._channel_ids = defaultdict(set)
        self.channel_partner = {}
        self.fetched = set()
        self._journal = []

    # Reading

    def ids(self, kind, key):
        """Ids held under ``key``, smallest first."""
        return sorted(self._ids.get((kind, key), ()))

    def channel_partner_ids(self, kind, keys):
        """Partners of the channels of that kind under any of ``keys``, in
        the order of the channels' ids, each partner once."""
        channel_ids = sorted(
            set().union(*(self._channel_ids.get((kind, key), ()) for key in keys))
        )
        return list(dict.fromkeys(self.channel_partner[cid] for cid in channel_ids))

    def missing(self, kind, keys):
        """The keys of that kind not read from the database yet."""
        return {key for key in keys if key and (kind, key) not in self.fetched}

    # Writing

    def add(self, kind, key, record_id):
        """Remember that the record may be found under ``key``."""
        if not key or not record_id:
            return
        ids = self._ids[(kind, key)]
        if record_id not in ids:
            ids.add(record_id)
            self._journal.append((self._ids, (kind, key), record_id))

    def add_channel(self, kind, key, channel_id, partner_id):
        """Remember a channel of a partner under its match key."""
        if not key:
            return
        self.channel_partner[channel_id] = partner_id
        ids = self._channel_ids[(kind, key)]
        if channel_id not in ids:
            ids.add(channel_id)
            self._journal.append((self._channel_ids, (kind, key), channel_id))

    def mark_fetched(self, kind, keys):
        for key in keys:
            self.fetched.add((kind, key))

    # Undoing

    def mark(self):
        """A point to come back to with :meth:`undo`."""
        return len(self._journal)

    def undo(self, mark):
        """Forget what was added since ``mark``: its writes were rolled back."""
        while len(self._journal) > mark:
            table, key, record_id = self._journal.pop()
            table[key].discard(record_id)
