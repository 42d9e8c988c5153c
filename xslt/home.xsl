<?xml version="1.0" encoding="UTF-8"?>
<!--
  The home page: the edition's title and editors, its documents in order of date (grouped
  by year when there are many, one line each) and the indexes.
  Input: a teiCorpus of the edition documents' headers, in the edition's order, each TEI
  carrying its docid as xml:id and its date as st:date (build.py).
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

  <!-- From this many documents on, the list is one line a document, grouped by year. -->
  <xsl:param name="compact-from" as="xs:integer" select="7"/>

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>
  <xsl:mode name="st:home" on-no-match="fail"/>
  <xsl:mode name="st:home-line" on-no-match="fail"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="st:edition-title(.)"/>
    <xsl:call-template name="st:page">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="current" select="'home'"/>
      <xsl:with-param name="header">
        <div class="doc-header">
          <h1><xsl:value-of select="$title"/></h1>
          <xsl:call-template name="st:editors-line"/>
          <p class="about-link"><a href="about.html">About this edition: introduction and
            editorial principles</a></p>
        </div>
      </xsl:with-param>
      <xsl:with-param name="content" select="."/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/" mode="st:page-content">
    <xsl:variable name="docs" select="//tei:TEI"/>
    <section class="documents" aria-labelledby="docs-h">
      <h2 id="docs-h"><xsl:value-of select="'Documents (' || count($docs) || ')'"/></h2>
      <xsl:choose>
        <xsl:when test="count($docs) ge $compact-from">
          <xsl:call-template name="st:years">
            <xsl:with-param name="docs" select="$docs"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:apply-templates select="$docs" mode="st:home"/>
        </xsl:otherwise>
      </xsl:choose>
    </section>
    <section class="indexes" aria-labelledby="idx-h">
      <h2 id="idx-h">Indexes</h2>
      <ul class="index-links">
        <li><a href="persons.html">Persons</a> (also <a href="persons.json">JSON</a>,
              <a href="persons.csv">CSV</a>)</li>
        <li><a href="places.html">Places</a> (also <a href="places.json">JSON</a>,
              <a href="places.csv">CSV</a>)</li>
        <li><a href="orgs.html">Organisations</a></li>
        <li><a href="works.html">Works</a></li>
      </ul>
    </section>
  </xsl:template>

  <!-- Many documents: a list of years to jump to, then one line a document under its year. -->
  <xsl:template name="st:years">
    <xsl:param name="docs" as="element(tei:TEI)+"/>
    <xsl:variable name="years" select="distinct-values($docs ! st:year-of(.))"/>
    <xsl:if test="count($years) ge 2">
      <nav class="years" aria-label="Years">
        <ul>
          <xsl:for-each select="$years">
            <li><a href="#year-{.}"><xsl:value-of select="."/></a></li>
          </xsl:for-each>
        </ul>
      </nav>
    </xsl:if>
    <xsl:for-each-group select="$docs" group-adjacent="st:year-of(.)">
      <section class="year" id="year-{current-grouping-key()}"
          aria-labelledby="year-{current-grouping-key()}-h">
        <h3 id="year-{current-grouping-key()}-h"><xsl:value-of select="current-grouping-key()"/></h3>
        <ol class="doclist">
          <xsl:apply-templates select="current-group()" mode="st:home-line"/>
        </ol>
      </section>
    </xsl:for-each-group>
  </xsl:template>

  <xsl:function name="st:year-of" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:sequence select="if (matches($tei/@st:date, '^\d{4}')) then substring($tei/@st:date, 1, 4)
        else 'undated'"/>
  </xsl:function>

  <xsl:template match="tei:TEI" mode="st:home-line">
    <li><a href="{st:docid(.)}.html"><xsl:value-of select="st:doc-title(.)"/></a></li>
  </xsl:template>

  <!-- Few documents: each with its author and source. -->
  <xsl:template match="tei:TEI" mode="st:home">
    <xsl:variable name="id" select="st:docid(.)"/>
    <xsl:variable name="title-stmt" select="tei:teiHeader/tei:fileDesc/tei:titleStmt"/>
    <article class="document" aria-labelledby="{$id}-h">
      <h3 id="{$id}-h"><a href="{$id}.html"><xsl:value-of select="st:doc-title(.)"/></a></h3>
      <xsl:if test="$title-stmt/tei:author">
        <p class="author">
          <xsl:value-of select="string-join($title-stmt/tei:author ! st:plain(.), '; ')"/>
        </p>
      </xsl:if>
      <xsl:apply-templates select="tei:teiHeader/tei:fileDesc/tei:sourceDesc" mode="st:bibl"/>
      <p class="downloads">
        <a href="{$id}.html">Read</a> · <a href="{$id}.txt" type="text/plain">plain text</a>
        · <a href="{$id}.xml" type="application/tei+xml">TEI source</a>
      </p>
    </article>
  </xsl:template>

</xsl:stylesheet>
