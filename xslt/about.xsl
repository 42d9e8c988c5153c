<?xml version="1.0" encoding="UTF-8"?>
<!--
  The page about the edition: title, editors, introduction (the configured file, else the
  documents' projectDesc), each document's edition statement and editorial principles
  (encodingDesc/editorialDecl). Input: as for home.xsl. The headers' paragraphs go into
  sections of the page, where HTML takes blocks: they are rendered in mode st:flow (see
  lib/html-base.xsl), not as if they stood inside a phrase.
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <xsl:import href="lib/common.xsl"/>
  <xsl:import href="lib/page.xsl"/>
  <xsl:import href="lib/tei-html.xsl"/>
  <xsl:import href="lib/edition.xsl"/>

  <!-- The introduction's text: paragraphs separated by blank lines; '' for the headers'. -->
  <xsl:param name="introduction" as="xs:string" select="''"/>

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>
  <xsl:mode name="st:principles" on-no-match="fail" use-accumulators="#all"/>

  <!-- What each part of editorialDecl is about, as a heading. -->
  <xsl:variable name="st:decl-labels" as="map(xs:string, xs:string)" select="map{
      'correction': 'Corrections', 'normalization': 'Normalisation', 'quotation': 'Quotation',
      'hyphenation': 'Hyphenation', 'segmentation': 'Segmentation', 'stdVals': 'Standard values',
      'interpretation': 'Interpretation', 'punctuation': 'Punctuation'}"/>

  <xsl:template match="/">
    <xsl:call-template name="st:page">
      <xsl:with-param name="title" select="'About ' || st:edition-title(.)"/>
      <xsl:with-param name="current" select="'about'"/>
      <xsl:with-param name="header">
        <div class="doc-header">
          <p class="edition-title"><a href="index.html"><xsl:value-of
              select="st:edition-title(.)"/></a></p>
          <h1>About this edition</h1>
          <xsl:call-template name="st:editors-line"/>
        </div>
      </xsl:with-param>
      <xsl:with-param name="content" select="."/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/" mode="st:page-content">
    <xsl:variable name="docs" select="//tei:TEI"/>
    <section aria-labelledby="intro-h">
      <h2 id="intro-h">Introduction</h2>
      <xsl:choose>
        <xsl:when test="normalize-space($introduction)">
          <xsl:for-each select="tokenize($introduction, '\n\s*\n')[normalize-space()]">
            <p><xsl:value-of select="normalize-space()"/></p>
          </xsl:for-each>
        </xsl:when>
        <xsl:otherwise>
          <xsl:for-each-group select="$docs/tei:teiHeader/tei:encodingDesc/tei:projectDesc/tei:p"
              group-by="st:plain(.)">
            <xsl:apply-templates select="current-group()[1]" mode="st:flow"/>
          </xsl:for-each-group>
        </xsl:otherwise>
      </xsl:choose>
    </section>
    <section aria-labelledby="principles-h">
      <h2 id="principles-h">Editorial principles</h2>
      <xsl:apply-templates select="$docs" mode="st:principles"/>
    </section>
  </xsl:template>

  <xsl:template match="tei:TEI" mode="st:principles">
    <xsl:variable name="header" select="tei:teiHeader"/>
    <xsl:variable name="decl" select="$header/tei:encodingDesc/tei:editorialDecl"/>
    <xsl:variable name="edition" select="$header/tei:fileDesc/tei:editionStmt"/>
    <xsl:if test="$decl or $edition">
      <section class="principles" aria-labelledby="{st:docid(.)}-p">
        <h3 id="{st:docid(.)}-p"><a href="{st:docid(.)}.html"><xsl:value-of
            select="st:doc-title(.)"/></a></h3>
        <xsl:for-each select="$edition/(tei:edition, tei:p)">
          <p class="edition-stmt"><xsl:apply-templates mode="st:html"/></p>
        </xsl:for-each>
        <xsl:apply-templates select="$decl/*" mode="st:principles"/>
      </section>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:editorialDecl/tei:p" mode="st:principles" priority="2">
    <xsl:apply-templates select="." mode="st:flow"/>
  </xsl:template>

  <xsl:template match="tei:editorialDecl/*" mode="st:principles">
    <h4><xsl:value-of select="($st:decl-labels(local-name()), local-name())[1]"/></h4>
    <xsl:apply-templates select="tei:p" mode="st:flow"/>
  </xsl:template>

</xsl:stylesheet>
