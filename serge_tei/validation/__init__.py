"""Validation: which rules apply to a file, the engines that check it, and the run.

==================  ==========================================================
module              responsibility
==================  ==========================================================
``rules``           which rules apply to a file: forced, ``xml-model``, project
``edition``         edition facts and tables for the cross-file rules
``engines``         the engine interface; the registry compiling each schema once
``libxml2``         the hardened schema-file parser; libxml2's RelaxNG engine
``jing``            jing: batches of files, re-checks, merging its findings
``schematron``      ISO Schematron transpiled to XSLT 3.0, run on Saxon
``teiall``          finding the official ``tei_all`` schema
``run``             a run over many files: ``Options``, ``validate``
``validator``       :class:`Validator`, a schema compiled once (the public API)
``relaxng``         the own RelaxNG engine: patterns, derivatives, the walk,
                    simplification, its cache, XSD datatypes
==================  ==========================================================

The own RelaxNG engine is :mod:`serge_tei.validation.relaxng`; :mod:`serge_tei.rngengine`
stays as a compatibility import for one release.
"""
