<?xml version="1.0" encoding="UTF-8"?>
<!--
  TEI text structure to HTML (mode st:html): divisions, headings, paragraphs, letter
  parts, verse, lists, tables, figures; and the table of contents (mode st:toc).
-->
<xsl:stylesheet version="3.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:xs="http://www.w3.org/2001/XMLSchema"
    xmlns:tei="http://www.tei-c.org/ns/1.0"
    xmlns:st="urn:x-serge-tei:xslt"
    exclude-result-prefixes="#all">

  <!-- ===== structure ===== -->

  <xsl:template match="tei:text" mode="st:html">
    <xsl:apply-templates mode="#current"/>
  </xsl:template>

  <xsl:template match="tei:front | tei:body | tei:back | tei:group" mode="st:html">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:div | tei:div1 | tei:div2 | tei:div3 | tei:div4 | tei:floatingText"
      mode="st:html">
    <section id="{st:div-id(.)}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'div'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </section>
  </xsl:template>

  <xsl:template match="tei:div[@type = 'entry']" mode="st:html" priority="2">
    <article id="{st:div-id(.)}">
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'entry'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </article>
  </xsl:template>

  <xsl:template match="tei:div/tei:head | tei:castList/tei:head | tei:front/tei:head
      | tei:body/tei:head | tei:back/tei:head" mode="st:html">
    <xsl:element name="h{st:heading-level(.)}">
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </xsl:element>
  </xsl:template>

  <xsl:template match="tei:head" mode="st:html">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'head'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:p | tei:ab" mode="st:html">
    <p>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </p>
  </xsl:template>

  <xsl:template match="tei:p[st:has-block(.)] | tei:ab[st:has-block(.)]" mode="st:html"
      priority="2">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'p'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:opener | tei:closer | tei:postscript | tei:epigraph | tei:argument
      | tei:trailer | tei:set | tei:titlePage | tei:docTitle | tei:byline | tei:docImprint
      | tei:signed | tei:salute | tei:dateline | tei:docAuthor | tei:docDate | tei:titlePart"
      mode="st:html">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <!-- Inside a paragraph these are phrases, not blocks. -->
  <xsl:template match="(tei:p | tei:opener | tei:closer)//(tei:signed | tei:salute | tei:dateline | tei:byline
      | tei:docAuthor | tei:docDate | tei:titlePart)" mode="st:html" priority="2">
    <span>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="local-name()"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </span>
  </xsl:template>

  <xsl:template match="tei:lg" mode="st:html">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'lg'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:l" mode="st:html">
    <div>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'l'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </div>
  </xsl:template>

  <xsl:template match="tei:list" mode="st:html">
    <xsl:apply-templates select="tei:head" mode="#current"/>
    <ul>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates select="node() except tei:head" mode="#current"/>
    </ul>
  </xsl:template>

  <xsl:template match="tei:list/tei:item | tei:castList/tei:castItem | tei:castGroup/tei:castItem"
      mode="st:html">
    <li>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </li>
  </xsl:template>

  <!-- Text between list items (whitespace, stray labels) must not sit directly in a ul. -->
  <xsl:template match="(tei:list | tei:castList | tei:castGroup)/text()" mode="st:html">
    <xsl:if test="normalize-space()">
      <li><xsl:value-of select="."/></li>
    </xsl:if>
  </xsl:template>

  <xsl:template match="tei:list/tei:label" mode="st:html">
    <li>
      <xsl:call-template name="st:attrs">
        <xsl:with-param name="class" select="'label'"/>
      </xsl:call-template>
      <xsl:apply-templates mode="#current"/>
    </li>
  </xsl:template>

  <xsl:template match="tei:table" mode="st:html">
    <table>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates select="tei:head" mode="st:caption"/>
      <tbody>
        <xsl:apply-templates select="tei:row" mode="#current"/>
      </tbody>
    </table>
  </xsl:template>

  <xsl:mode name="st:caption" on-no-match="fail" use-accumulators="#all"/>
  <xsl:template match="tei:head" mode="st:caption">
    <caption><xsl:apply-templates mode="st:html"/></caption>
  </xsl:template>

  <xsl:template match="tei:row" mode="st:html">
    <tr><xsl:apply-templates select="tei:cell" mode="#current"/></tr>
  </xsl:template>

  <xsl:template match="tei:cell" mode="st:html">
    <td>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates mode="#current"/>
    </td>
  </xsl:template>

  <xsl:template match="tei:figure" mode="st:html">
    <figure>
      <xsl:call-template name="st:attrs"/>
      <xsl:apply-templates select="node() except tei:figDesc" mode="#current"/>
      <xsl:apply-templates select="tei:figDesc" mode="#current"/>
    </figure>
  </xsl:template>

  <xsl:template match="tei:figDesc" mode="st:html">
    <figcaption><xsl:apply-templates mode="#current"/></figcaption>
  </xsl:template>

  <!-- Images are not published: no data-driven URL is fetched by the reader's browser. -->
  <xsl:template match="tei:graphic | tei:media" mode="st:html"/>


  <!-- ===== table of contents ===== -->

  <xsl:template match="tei:div" mode="st:toc">
    <li>
      <a href="#{st:div-id(.)}">
        <xsl:value-of select="string-join((tei:head[1], tei:dateline[1]) ! st:plain(.), ' — ')"/>
      </a>
    </li>
  </xsl:template>

</xsl:stylesheet>
