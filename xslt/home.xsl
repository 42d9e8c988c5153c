<?xml version="1.0" encoding="UTF-8"?>
<!--
  The home page: the edition's documents with their bibliographic data.
  Input: a teiCorpus of the edition documents, each TEI carrying its docid as xml:id.
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

  <!-- The edition's title, shown on the home page. -->
  <xsl:param name="edition-title" as="xs:string" select="'serge-tei: an edition'"/>

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>
  <xsl:mode name="st:home" on-no-match="fail"/>

  <xsl:template match="/">
    <xsl:call-template name="st:page">
      <xsl:with-param name="title" select="$edition-title"/>
      <xsl:with-param name="current" select="'home'"/>
      <xsl:with-param name="header">
        <div class="doc-header">
          <h1><xsl:value-of select="$edition-title"/></h1>
        </div>
      </xsl:with-param>
      <xsl:with-param name="content">
        <section class="documents" aria-labelledby="docs-h">
          <h2 id="docs-h">Documents</h2>
          <xsl:apply-templates select="//tei:TEI" mode="st:home"/>
        </section>
        <section class="indexes" aria-labelledby="idx-h">
          <h2 id="idx-h">Indexes</h2>
          <ul>
            <li><a href="persons.html">Persons</a> (also <a href="persons.json">JSON</a>,
              <a href="persons.csv">CSV</a>)</li>
            <li><a href="places.html">Places</a> (also <a href="places.json">JSON</a>,
              <a href="places.csv">CSV</a>)</li>
            <li><a href="orgs.html">Organisations</a></li>
            <li><a href="works.html">Works</a></li>
          </ul>
        </section>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

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
