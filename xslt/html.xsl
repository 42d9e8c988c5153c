<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reading edition of one TEI document as an HTML5 page.
  Input: a TEI document. Parameters: see lib/common.xsl (authority, docid, site-url).
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

  <xsl:mode on-no-match="fail" use-accumulators="#all"/>

  <xsl:template match="/">
    <xsl:apply-templates select="tei:TEI | tei:teiCorpus/tei:TEI[1]"/>
  </xsl:template>

  <xsl:template match="tei:TEI">
    <xsl:variable name="id" select="st:docid(.)"/>
    <xsl:call-template name="st:page">
      <xsl:with-param name="title" select="st:doc-title(.)"/>
      <xsl:with-param name="lang" select="st:doc-lang(.)"/>
      <xsl:with-param name="header">
        <xsl:apply-templates select="tei:teiHeader" mode="st:doc-header">
          <xsl:with-param name="id" select="$id" tunnel="yes"/>
        </xsl:apply-templates>
      </xsl:with-param>
      <xsl:with-param name="content">
        <xsl:call-template name="st:toc"/>
        <article class="text">
          <xsl:apply-templates select="tei:text" mode="st:html"/>
        </article>
        <xsl:call-template name="st:footnotes"/>
      </xsl:with-param>
      <xsl:with-param name="footer">
        <xsl:apply-templates select="tei:teiHeader/tei:fileDesc/tei:publicationStmt/tei:availability"
            mode="st:bibl"/>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- ===== the document's header: title, source, citation, downloads ===== -->

  <xsl:mode name="st:doc-header" on-no-match="fail"/>

  <xsl:template match="tei:teiHeader" mode="st:doc-header">
    <xsl:param name="id" as="xs:string" tunnel="yes"/>
    <xsl:variable name="titles" select="tei:fileDesc/tei:titleStmt/tei:title"/>
    <div class="doc-header">
      <h1><xsl:value-of select="st:doc-title(..)"/></h1>
      <xsl:for-each select="$titles[@type = 'sub']">
        <p class="subtitle"><xsl:value-of select="st:plain(.)"/></p>
      </xsl:for-each>
      <xsl:if test="tei:fileDesc/tei:titleStmt/tei:author">
        <p class="author">
          <xsl:value-of select="string-join(tei:fileDesc/tei:titleStmt/tei:author ! st:plain(.), '; ')"/>
        </p>
      </xsl:if>
      <details class="record" open="open">
        <summary>Source and citation</summary>
        <h2 class="label">Source</h2>
        <xsl:apply-templates select="tei:fileDesc/tei:sourceDesc" mode="st:bibl"/>
        <h2 class="label">Cite this edition</h2>
        <p class="citation"><xsl:value-of select="st:citation(.., $id)"/></p>
        <h2 class="label">Downloads</h2>
        <ul class="downloads">
          <li><a href="{$id}.xml" type="application/tei+xml">TEI source (XML)</a></li>
          <li><a href="{$id}.txt" type="text/plain">Plain text</a></li>
        </ul>
      </details>
    </div>
  </xsl:template>

  <!-- 'Author, “Title”, A TEI edition, serge-tei project, 2026, <url>.' -->
  <xsl:function name="st:citation" as="xs:string">
    <xsl:param name="tei" as="element(tei:TEI)"/>
    <xsl:param name="id" as="xs:string"/>
    <xsl:variable name="file" select="$tei/tei:teiHeader/tei:fileDesc"/>
    <xsl:variable name="pub" select="$file/tei:publicationStmt"/>
    <xsl:variable name="parts" as="xs:string*" select="(
        string-join($file/tei:titleStmt/tei:author ! st:plain(.), '; '),
        '“' || st:doc-title($tei) || '”',
        $file/tei:titleStmt/tei:title[@type = 'sub'] ! st:plain(.),
        ($pub/tei:publisher, $pub/tei:authority, $pub/tei:distributor)[1] ! st:plain(.),
        string(($pub/tei:date/@when, $pub/tei:date)[1]) ! substring(., 1, 4),
        $site-url[. != ''] ! (. || $id || '.html'))"/>
    <xsl:sequence select="string-join($parts[normalize-space()], ', ') || '.'"/>
  </xsl:function>

  <xsl:template match="tei:availability" mode="st:bibl">
    <div class="licence"><xsl:apply-templates select="*" mode="st:bibl-inline"/></div>
  </xsl:template>

  <!-- ===== table of contents and footnotes ===== -->

  <xsl:template name="st:toc">
    <xsl:variable name="entries" select="tei:text/tei:body//tei:div[@type = 'entry']"/>
    <xsl:variable name="divs" select="if ($entries) then $entries
        else tei:text/tei:body/tei:div[tei:head]"/>
    <xsl:if test="count($divs) ge 2">
      <nav class="toc" aria-labelledby="toc-h">
        <h2 id="toc-h">Contents</h2>
        <ol>
          <xsl:apply-templates select="$divs" mode="st:toc"/>
        </ol>
      </nav>
    </xsl:if>
  </xsl:template>

  <!-- The notes at the end, unless the text says where they go (divGen, see lib/tei-html.xsl). -->
  <xsl:template name="st:footnotes">
    <xsl:variable name="notes" select="tei:text//tei:note"/>
    <xsl:if test="$notes and not(tei:text//tei:divGen[st:is-notes-place(.)])">
      <aside class="notes" aria-labelledby="notes-h">
        <h2 id="notes-h">Notes</h2>
        <xsl:call-template name="st:note-list">
          <xsl:with-param name="notes" select="$notes"/>
        </xsl:call-template>
      </aside>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
