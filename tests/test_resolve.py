"""Resolution of mentions to canonical actors, without the spaCy model (RawDocs built by hand)."""
from __future__ import annotations

import pytest

from kg.config import ontology_dir
from kg.gazetteer import load_gazetteer
from kg.ingest import content_hash
from kg.model import Article, Evidence, RawDoc, RawMention, RawRelation
from kg.resolve import Registry, resolve_document
from kg.resolve.names import same_name, slug, translit_key


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(ontology_dir())


def _doc(text, mentions, relations=(), date="2019-02-15"):
    art = Article(doc_id="t.txt", text=text, content_hash=content_hash(text), date=date)
    return RawDoc(article=art, mentions=tuple(mentions), relations=tuple(relations))


def _m(text, start, kind="name", ref=None, label="GPE", sentence=0, **kw):
    return RawMention(text=text, start=start, end=start + len(text), sentence=sentence, label=label, kind=kind,
                      ref=ref, **kw)


def _rel(s, p, o, modality="asserted"):
    return RawRelation(subject=s, predicate=p, object=o,
                       evidence=Evidence(sentence="x", sentence_start=0, start=0, end=1, modality=modality))


def test_capital_acting_is_the_state_and_capital_as_location_is_the_city(gaz):
    text = "Ankara said it met officials in Ankara."
    result = resolve_document(_doc(text, [_m("Ankara", 0, kind="metonym", ref="TUR"),
                                          _m("Ankara", 32, kind="metonym", ref="TUR", place_use=True)]), gaz)
    keys = [m.key for m in result.mentions]
    assert keys[0] == "TUR"
    assert keys[1] != "TUR" and gaz.get(keys[1]).type == "Place"


def test_nominals_need_their_context(gaz):
    with_context = resolve_document(_doc("Rebels in Syria", [_m("Rebels", 0, kind="nominal", ref="SYR_OPPOSITION", label="NORP"),
                                                             _m("Syria", 10, ref="SYR")]), gaz)
    without = resolve_document(_doc("Rebels in Yemen", [_m("Rebels", 0, kind="nominal", ref="SYR_OPPOSITION", label="NORP"),
                                                        _m("Yemen", 10, ref="YEM")]), gaz)
    assert "SYR_OPPOSITION" in {m.key for m in with_context.mentions}
    assert "SYR_OPPOSITION" not in {m.key for m in without.mentions}


def test_surname_and_spelling_variant_take_up_the_full_name(gaz):
    text = "Khalid Smithson spoke. Smithson left. Khaled Smithson returned."
    result = resolve_document(_doc(text, [_m("Khalid Smithson", 0, kind="ner", label="PERSON"),
                                          _m("Smithson", 23, kind="ner", label="PERSON", sentence=1),
                                          _m("Khaled Smithson", 38, kind="ner", label="PERSON", sentence=2)]), gaz)
    assert len({m.key for m in result.mentions}) == 1
    assert result.actors[result.mentions[0].key].provisional


def test_role_noun_is_the_person_titled_earlier_in_the_document(gaz):
    text = "Syrian President Bashar al-Assad spoke. The Syrian leader left."
    mentions = [_m("Syrian", 0, kind="demonym", ref="SYR", label="NORP"),
                _m("Bashar al-Assad", 17, ref="ASSAD", label="PERSON"),
                _m("The Syrian leader", 40, kind="role", label="PERSON", role="leaderOf", of=3, sentence=1),
                _m("Syrian", 44, kind="demonym", ref="SYR", label="NORP", sentence=1)]
    result = resolve_document(_doc(text, mentions, [_rel(1, "headOfStateOf", 0)]), gaz)
    assert [m.key for m in result.mentions][2] == "ASSAD"


def test_self_relations_and_people_relations_of_non_people_are_dropped(gaz):
    text = "Russia Russia Turkey"
    result = resolve_document(_doc(text, [_m("Russia", 0, ref="RUS"), _m("Russia", 7, ref="RUS"), _m("Turkey", 14, ref="TUR")],
                                   [_rel(0, "supports", 1), _rel(0, "headOfStateOf", 2), _rel(0, "supports", 2)]), gaz)
    assert [(r.subject, r.predicate, r.object) for r in result.relations] == [("RUS", "supports", "TUR")]


def test_organs_of_a_state_act_as_the_state(gaz):
    result = resolve_document(_doc("Syrian Arab Army", [_m("Syrian Arab Army", 0, ref="SAA", label="ORG")]), gaz)
    assert result.mentions[0].key == "SYR"


def test_registry_merges_variants_across_documents_but_not_different_people():
    reg = Registry()
    a = reg.key_for("Alexander Lavrentyev", "Person")
    assert reg.key_for("Alexander Lavrantiev", "Person") == a
    assert reg.key_for("Sergei Lavrov", "Person") != a
    assert reg.key_for("Ali Khamenei", "Person") != reg.key_for("Ali Larijani", "Person")


@pytest.mark.parametrize("a,b,same", [
    ("Lavrentiev", "Lavrentyev", True), ("Hassan Rouhani", "Hassan Rowhani", True),
    ("Sergei Lavrov", "Sergey Lavrov", True), ("Sergei Lavrov", "Sergei Shoigu", False),
    ("Bashar al-Assad", "Hafez al-Assad", False), ("Mohammed Salman", "Mohammed Salem", False),
])
def test_same_name(a, b, same):
    assert same_name(a, b) is same
    assert same_name(b, a) is same


def test_slug_and_translit_are_ascii_and_stable():
    assert slug("Mevlüt Çavuşoğlu") == "mevlut-cavusoglu"
    assert translit_key("Rowhani") == translit_key("Rouhani")


def test_pronouns_and_role_nouns_are_not_names(gaz):
    from kg.graph.rdf import document_quads

    text = "Recep Tayyip Erdogan spoke. He left."
    mentions = [_m("Recep Tayyip Erdogan", 0, ref="ERDOGAN", label="PERSON"),
                _m("He", 28, kind="pronoun", label="PERSON", sentence=1)]
    result = resolve_document(_doc(text, mentions), gaz)
    assert [m.key for m in result.mentions] == ["ERDOGAN", "ERDOGAN"]
    labels = {q.object.value for q in document_quads(result, extractor_version="t")
              if q.predicate.value.endswith("#altLabel")}
    assert "He" not in labels


def test_news_agencies_are_sources_not_actors(gaz):
    text = "Reuters reported that Russia met Turkey."
    mentions = [_m("Reuters", 0, ref="REUTERS", label="ORG"), _m("Russia", 22, ref="RUS"), _m("Turkey", 33, ref="TUR")]
    result = resolve_document(_doc(text, mentions, [_rel(1, "meetsWith", 2)]), gaz)
    assert "REUTERS" not in result.actors
    assert {m.key for m in result.mentions} == {"RUS", "TUR"}


def test_a_provisional_actor_has_one_label_across_documents(gaz):
    reg = Registry()
    names = []
    for variant in ("Rami Abdel Rahman", "Rami Abdul Rahman"):
        result = resolve_document(_doc(f"{variant} said.", [_m(variant, 0, kind="ner", label="PERSON")]), gaz, reg)
        (actor,) = result.actors.values()
        names.append((actor.key, actor.name))
    assert names[0] == names[1]


def test_names_in_one_article_take_up_the_full_name_by_surname_honorific_and_gender():
    """"Tom Blakey ... Mr Blakey ... Blakey" is one person; "Carol Blakey" is another, and "Mrs Blakey" is her; a
    surname NER calls an organisation ("Clerkson said") is still the person named in full before."""
    gaz = load_gazetteer(ontology_dir())
    text = "Tom Blakey spoke. Mr Blakey left. Carol Blakey came. Mrs Blakey smiled. Ian Clerkson sat. Clerkson said no."
    mentions = [_m("Tom Blakey", 0, kind="ner", label="PERSON"),
                _m("Mr Blakey", 18, kind="ner", label="PERSON", sentence=1),
                _m("Carol Blakey", 33, kind="ner", label="PERSON", sentence=2),
                _m("Mrs Blakey", 51, kind="ner", label="PERSON", sentence=3),
                _m("Ian Clerkson", 70, kind="ner", label="PERSON", sentence=4),
                _m("Clerkson", 89, kind="ner", label="ORG", sentence=5)]
    keys = [m.key for m in resolve_document(_doc(text, mentions), gaz).mentions]
    assert keys[0] == keys[1] != keys[2] == keys[3]
    assert keys[4] == keys[5] and keys[4].startswith("~person/")
    assert "mrs" not in keys[3] and "mr" not in keys[1].split("/")[-1].split("-")


def test_a_full_name_never_takes_up_an_earlier_bare_surname():
    gaz = load_gazetteer(ontology_dir())
    text = "Blakey spoke. Carol Blakey came."
    result = resolve_document(_doc(text, [_m("Blakey", 0, kind="ner", label="PERSON"),
                                          _m("Carol Blakey", 14, kind="ner", label="PERSON", sentence=1)]), gaz)
    assert result.mentions[0].key != result.mentions[1].key


def test_a_bare_surname_takes_up_the_one_person_the_build_named_in_full():
    """"Mr Blakey" in one article is the "Tom Blakey" of an earlier one; not when two people of the build share
    the surname, and never against the honorific's gender."""
    gaz = load_gazetteer(ontology_dir())
    registry = Registry()
    first = resolve_document(_doc("Tom Blakey spoke.", [_m("Tom Blakey", 0, kind="ner", label="PERSON")]), gaz, registry)
    tom = first.mentions[0].key
    second = resolve_document(_doc("Mr Blakey left.", [_m("Mr Blakey", 0, kind="ner", label="PERSON")]), gaz, registry)
    assert second.mentions[0].key == tom
    registry2 = Registry()  # "Mr Tom Blakey" tells his gender
    resolve_document(_doc("Mr Tom Blakey spoke.", [_m("Mr Tom Blakey", 0, kind="ner", label="PERSON")]), gaz, registry2)
    she = resolve_document(_doc("Mrs Blakey left.", [_m("Mrs Blakey", 0, kind="ner", label="PERSON")]), gaz, registry2)
    assert she.mentions[0].key != tom
    resolve_document(_doc("Carol Blakey came.", [_m("Carol Blakey", 0, kind="ner", label="PERSON")]), gaz, registry)
    third = resolve_document(_doc("Blakey said.", [_m("Blakey", 0, kind="ner", label="PERSON")]), gaz, registry)
    assert third.mentions[0].key != tom  # two Blakeys in the build: nobody in particular


def test_a_surname_taken_up_across_articles_keeps_the_persons_one_type_and_name():
    gaz = load_gazetteer(ontology_dir())
    registry = Registry()
    resolve_document(_doc("Tom Blakey spoke.", [_m("Tom Blakey", 0, kind="ner", label="PERSON")]), gaz, registry)
    later = resolve_document(_doc("Mr Blakey left.", [_m("Mr Blakey", 0, kind="ner", label="PERSON")]), gaz, registry)
    actor = later.actors[later.mentions[0].key]
    assert (actor.type, actor.name) == ("Person", "Tom Blakey")


def test_name_skeleton_indexes_come_back_from_the_disk_cache(tmp_path, monkeypatch):
    """The skeleton and joined-surname indexes of the package gazetteer cost seconds per build: they are kept in kg's
    disk cache under the gazetteer files' stamp, and the cached copy is the index itself."""
    import kg.gazetteer as gazetteer_module
    from kg.config import ontology_dir
    from kg.resolve import actors

    monkeypatch.setenv("KG_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(gazetteer_module, "_CACHE", {})
    first = gazetteer_module.load_gazetteer(ontology_dir())
    made = actors._skeleton_index(first), actors._joined_index(first)
    assert list(tmp_path.glob("skeletons-*.pickle")) and list(tmp_path.glob("joined-*.pickle"))
    monkeypatch.setattr(gazetteer_module, "_CACHE", {})
    again = gazetteer_module.load_gazetteer(ontology_dir())
    assert again is not first and getattr(again, "_kg_skeletons", None) is None
    monkeypatch.setattr(actors, "_make_skeleton_index", lambda g: pytest.fail("rebuilt, not read from the cache"))
    monkeypatch.setattr(actors, "_make_joined_index", lambda g: pytest.fail("rebuilt, not read from the cache"))
    assert (actors._skeleton_index(again), actors._joined_index(again)) == made
    assert made[0].get(actors.skeleton("Deir ez-Zor")) is not None
